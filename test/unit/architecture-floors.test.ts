import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The floors of docs/architecture.md, top to bottom. An import may point down or sideways within
// its floor, never up. `import type` of activities from workflows is how proxyActivities gets its
// types; it is erased at compile time, so it is allowed where a value import is not.
const root = path.resolve(__dirname, '../..');

type Floor =
  | 'domain'
  | 'adapters'
  | 'activities'
  | 'workflows'
  | 'use-cases'
  | 'services/api'
  | 'services/sandbox'
  | 'services/ops'
  | 'services/workers'
  | 'services/common'
  | 'infra';

const ALLOWED: Record<Floor, { value: Floor[]; type?: Floor[] }> = {
  domain: { value: ['domain'] },
  adapters: { value: ['adapters', 'domain'] },
  activities: { value: ['activities', 'adapters', 'domain'] },
  workflows: { value: ['workflows', 'domain'], type: ['activities'] },
  // Use cases: one command per user intention, called by routes and the ops CLI. They start, signal and
  // update workflows through the Temporal client (workflow types only) and read and write through adapters.
  'use-cases': { value: ['use-cases', 'adapters', 'domain'], type: ['workflows'] },
  'services/common': { value: ['services/common', 'adapters', 'domain'] },
  'services/api': { value: ['services/api', 'use-cases', 'adapters', 'domain'], type: ['workflows'] },
  'services/sandbox': { value: ['services/sandbox', 'adapters', 'domain'] },
  'services/ops': { value: ['services/ops', 'services/common', 'use-cases', 'adapters', 'domain'] },
  'services/workers': { value: ['services/workers', 'services/common', 'activities', 'adapters', 'domain'] },
  infra: {
    value: [
      'infra',
      'services/api',
      'services/sandbox',
      'services/ops',
      'services/workers',
      'services/common',
      'use-cases',
      'activities',
      'adapters',
      'domain',
    ],
  },
};

function floorOf(file: string): Floor | null {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (/^services\/[^/]+-worker\//.test(rel)) return 'services/workers';
  for (const floor of Object.keys(ALLOWED) as Floor[]) if (rel === floor || rel.startsWith(floor + '/')) return floor;
  return null;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/gm;

function violations(sources: { file: string; src: string }[]): string[] {
  const found: string[] = [];
  for (const { file, src } of sources) {
    const from = floorOf(file);
    if (!from) continue;
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4];
      const to = floorOf(path.resolve(path.dirname(file), spec));
      if (!to) continue;
      const rule = ALLOWED[from];
      const typeOnly = Boolean(m[2]);
      if (rule.value.includes(to) || (typeOnly && rule.type?.includes(to))) continue;
      found.push(`${path.relative(root, file)} (${from}) imports ${spec} (${to})${typeOnly ? ' [type]' : ''}`);
    }
  }
  return found;
}

describe('architecture: imports point down the floors', () => {
  const files = ['domain', 'adapters', 'activities', 'workflows', 'use-cases', 'services', 'infra'].flatMap((d) =>
    sourceFiles(path.join(root, d)),
  );

  it('no file imports from a floor above its own', () => {
    expect(violations(files.map((file) => ({ file, src: readFileSync(file, 'utf8') })))).toEqual([]);
  });

  it('the check sees upward imports (it can fail)', () => {
    const at = (rel: string) => path.join(root, rel);
    expect(
      violations([
        { file: at('domain/probe.ts'), src: "import { createApp } from '../services/api/app';\n" },
        {
          file: at('services/api/probe.ts'),
          src: "import { startNotification } from '../../activities/notifications/x';\n",
        },
        {
          file: at('workflows/probe.ts'),
          src: "import type { A } from '../activities/a';\nimport { b } from '../activities/b';\n",
        },
      ]),
    ).toEqual([
      'domain/probe.ts (domain) imports ../services/api/app (services/api)',
      'services/api/probe.ts (services/api) imports ../../activities/notifications/x (activities)',
      'workflows/probe.ts (workflows) imports ../activities/b (activities)',
    ]);
  });
});
