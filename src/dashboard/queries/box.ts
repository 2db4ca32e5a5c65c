// The box itself for /tech: load, memory, temperature, uptime — what a technician on
// the phone needs before driving out. Read at request time; nothing runs in the background.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';

/** Hottest thermal zone in °C, or null where the kernel exposes none (containers, some VMs). */
function temperatureC(): number | null {
  let hottest: number | null = null;
  try {
    for (const zone of readdirSync('/sys/class/thermal')) {
      if (!zone.startsWith('thermal_zone')) continue;
      try {
        const milli = Number(readFileSync(`/sys/class/thermal/${zone}/temp`, 'utf8').trim());
        if (Number.isFinite(milli) && milli > 0) hottest = Math.max(hottest ?? 0, milli / 1000);
      } catch {
        // a zone without a readable sensor: skip it
      }
    }
  } catch {
    return null;
  }
  return hottest;
}

export function boxVitals() {
  const [load1 = 0] = loadavg();
  return {
    cpuCount: cpus().length,
    load1,
    memTotalBytes: totalmem(),
    memFreeBytes: freemem(),
    daemonRssBytes: process.memoryUsage().rss,
    temperatureC: temperatureC(),
    uptimeS: Math.round(uptime()),
  };
}
