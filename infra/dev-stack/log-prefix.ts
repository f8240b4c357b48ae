// `[api] …` prefixes with a stable colour per process, so interleaved logs stay readable.
const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93];
const assigned = new Map<string, number>();
const width = 20;

export function prefixer(name: string) {
  if (!assigned.has(name)) assigned.set(name, COLOURS[assigned.size % COLOURS.length]);
  const colour = process.stdout.isTTY ? assigned.get(name)! : 0;
  const label = `[${name}]`.padEnd(width);
  const prefix = colour ? `\x1b[${colour}m${label}\x1b[0m` : label;
  return (line: string, stream: 'stdout' | 'stderr') => {
    (stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix} ${line}\n`);
  };
}
