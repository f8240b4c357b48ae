/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per 10% otherwise). */
export function progressBar(label: string) {
  const started = Date.now();
  let lastDecile = -1;
  return (done: number, total: number) => {
    const frac = total ? Math.min(1, done / total) : 1;
    const width = 30;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const line = `${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} ${secs}s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${frac === 1 ? '\n' : ''}`);
    else if (Math.floor(frac * 10) > lastDecile) {
      lastDecile = Math.floor(frac * 10);
      process.stderr.write(`${line}\n`);
    }
  };
}
