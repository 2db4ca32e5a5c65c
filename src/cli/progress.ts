// A one-line progress bar on stderr for long commands (dataset, eval): redrawn in place on a TTY,
// a line every 10% otherwise (logs, CI).
export function progressBar(label: string): (done: number, total: number) => void {
  const t0 = Date.now();
  let lastPct = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (!process.stderr.isTTY && pct - lastPct < 10 && done !== total) return;
    lastPct = pct;
    const rate = done / Math.max(0.001, (Date.now() - t0) / 1000);
    const bar = '#'.repeat(Math.round(pct / 4)).padEnd(25, '.');
    const eta = Math.round((total - done) / Math.max(rate, 0.001));
    process.stderr.write(
      `${process.stderr.isTTY ? '\r' : ''}${label} [${bar}] ${done}/${total} ${rate.toFixed(1)} img/s eta ${eta}s${process.stderr.isTTY && done !== total ? '' : '\n'}`,
    );
  };
}
