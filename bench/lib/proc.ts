// CPU and memory of processes from /proc (Linux): the daemon's own CPU time plus that of its
// ffmpeg children, and the resident set size of a process.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clkTck: number | null = null;

/** Kernel clock ticks per second (utime/stime unit in /proc/<pid>/stat). */
export function clockTicksPerSecond(): number {
  if (clkTck !== null) return clkTck;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, seconds. */
  cpuS: number;
  /** cutime + cstime (children already waited for), seconds. */
  reapedChildrenCpuS: number;
}

/** /proc/<pid>/stat (or `path`), or null when the process is gone. */
export function procStat(pid: number, path = `/proc/${pid}/stat`): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // comm may contain spaces and parentheses: the fields start after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const tick = (i: number): number => Number(f[i - 3] ?? 0) / clockTicksPerSecond();
  return {
    pid,
    ppid: Number(f[1]),
    comm,
    cpuS: tick(14) + tick(15),
    reapedChildrenCpuS: tick(16) + tick(17),
  };
}

/** Every live descendant of `root` (children, grandchildren...). */
export function descendants(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s) all.push(s);
  }
  const byParent = new Map<number, ProcStat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const walk = (pid: number): void => {
    for (const c of byParent.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** Resident set size in MB from /proc/<pid>/status (VmRSS), or null when the process is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface CpuWindow {
  wallS: number;
  /** CPU seconds of the root process itself. */
  rootCpuS: number;
  /** CPU seconds of the counted children (live ones plus those that exited in the window). */
  childrenCpuS: number;
  /** (root + children) CPU as a percentage of one core. */
  corePct: number;
  rootCorePct: number;
  childrenCorePct: number;
}

export interface CpuMeter {
  stop(): CpuWindow;
}

/**
 * CPU of `root` (default: this process, via process.cpuUsage) plus its descendants whose command
 * name is in `childComm` (default ffmpeg), from now until stop(). A child that exits inside the
 * window is counted through the root's cutime/cstime once Node has reaped it.
 */
export function startCpuMeter(opts: { root?: number; childComm?: string[] } = {}): CpuMeter {
  const root = opts.root ?? process.pid;
  const self = root === process.pid;
  const names = new Set(opts.childComm ?? ['ffmpeg']);
  const kids = (): Map<number, number> =>
    new Map(
      descendants(root)
        .filter((d) => names.has(d.comm))
        .map((d) => [d.pid, d.cpuS]),
    );
  const rootCpu = (): number => (self ? cpuUsageS() : (procStat(root)?.cpuS ?? 0));
  const t0 = performance.now();
  const root0 = rootCpu();
  const reaped0 = procStat(root)?.reapedChildrenCpuS ?? 0;
  const kids0 = kids();
  return {
    stop() {
      const wallS = (performance.now() - t0) / 1000;
      const rootCpuS = rootCpu() - root0;
      const kids1 = kids();
      let childrenCpuS = (procStat(root)?.reapedChildrenCpuS ?? 0) - reaped0;
      for (const [pid, cpu] of kids1) childrenCpuS += cpu - (kids0.get(pid) ?? 0);
      // Reaped children: their whole CPU time went into cutime; the part before the window did not.
      for (const [pid, cpu] of kids0) if (!kids1.has(pid)) childrenCpuS -= cpu;
      const pct = (s: number): number => (100 * s) / wallS;
      return {
        wallS,
        rootCpuS,
        childrenCpuS,
        corePct: pct(rootCpuS + childrenCpuS),
        rootCorePct: pct(rootCpuS),
        childrenCorePct: pct(childrenCpuS),
      };
    },
  };
}

function cpuUsageS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds of one process between two calls: for helpers (RTSP server) reported apart. */
export function processCpuMeter(pid: number): () => number {
  const c0 = procStat(pid)?.cpuS ?? 0;
  const t0 = performance.now();
  return () => (100 * ((procStat(pid)?.cpuS ?? c0) - c0)) / ((performance.now() - t0) / 1000);
}

/** CPU seconds (utime + stime) of each thread of `pid`, by thread id (/proc/<pid>/task). */
export function threadCpuS(pid = process.pid): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  // /proc/<tid>/stat would give the whole process's times: the thread's own are under task/.
  for (const tid of tids) {
    const s = procStat(Number(tid), `/proc/${pid}/task/${tid}/stat`);
    if (s) out.set(s.pid, s.cpuS);
  }
  return out;
}
