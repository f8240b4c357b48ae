import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// CI type-checks (issue 15): `.ci/run` calls `.ci/typecheck`, which must fail on a type error.
// Checked on a one-file project that extends the real tsconfig (same options, seconds not minutes).
const root = path.join(__dirname, '../..');

function typecheck(source: string) {
  const dir = fs.mkdtempSync(path.join(root, '.data', 'typecheck-'));
  try {
    fs.writeFileSync(path.join(dir, 'sample.ts'), source);
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(root, 'tsconfig.json'), include: ['sample.ts'] }),
    );
    return spawnSync(path.join(root, '.ci/typecheck'), [path.join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('CI type-check', () => {
  beforeAll(() => fs.mkdirSync(path.join(root, '.data'), { recursive: true }));

  it('.ci/run runs the type-check and counts its failure', () => {
    const run = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(run).toMatch(/^if \.ci\/typecheck; then/m);
    expect(run).toMatch(/failed=\$\(\(failed \+ .*typecheck_failed/);
    expect(fs.readFileSync(path.join(root, '.ci/typecheck'), 'utf8')).toContain('"${1:-tsconfig.json}" --noEmit');
  });

  it('fails on a type error and passes on correct code', () => {
    const bad = typecheck("export const port: number = '3000';\n");
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('error TS2322');
    const good = typecheck('export const port: number = 3000;\n');
    expect(good.stdout).toBe('');
    expect(good.status).toBe(0);
  }, 120_000);
});
