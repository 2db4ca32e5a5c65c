// A stand-in for systemd's notify socket: an AF_UNIX datagram socket (path or abstract) served by
// /usr/bin/python3, since Node cannot open one. Each datagram comes back as a list of assignments;
// descriptors passed along (systemd-notify's BARRIER=1 pipe) are closed, which releases the sender.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../helpers/wait.js';

const RECEIVER = String.raw`
import array, json, os, socket, sys
addr = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\0' + addr[1:] if addr.startswith('@') else addr)
print(json.dumps({'ready': True}), flush=True)
while True:
    msg, anc, flags, _ = s.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    fds = 0
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            a = array.array('i'); a.frombytes(data[:len(data) - len(data) % 4])
            for fd in a: os.close(fd); fds += 1
    print(json.dumps({'lines': msg.decode().split('\n'), 'fds': fds}), flush=True)
`;

export interface NotifySocket {
  address: string;
  messages: string[][];
  /** Waits until an assignment (e.g. "READY=1") has arrived `count` times in total. */
  waitFor(assignment: string, count?: number, timeoutMs?: number): Promise<void>;
  count(assignment: string): number;
  close(): Promise<void>;
}

export async function openNotifySocket(address: string): Promise<NotifySocket> {
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', RECEIVER, address], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: string[][] = [];
  let ready = false;
  let stderr = '';
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const m = JSON.parse(buf.slice(0, i)) as { ready?: boolean; lines?: string[] };
      buf = buf.slice(i + 1);
      if (m.ready) ready = true;
      if (m.lines) messages.push(m.lines.filter((l) => l !== ''));
    }
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await waitFor(() => ready || child.exitCode !== null, {
    timeoutMs: 15_000,
    message: 'notify socket receiver',
  });
  if (!ready) throw new Error(`notify socket receiver failed: ${stderr}`);
  const count = (a: string): number => messages.flat().filter((l) => l === a).length;
  return {
    address,
    messages,
    count,
    async waitFor(assignment, n = 1, timeoutMs = 15_000) {
      await waitFor(() => count(assignment) >= n, {
        timeoutMs,
        message: `${assignment} x${n} on ${address}; got ${JSON.stringify(messages)}`,
      });
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
