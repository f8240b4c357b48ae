import fs from 'node:fs';

import type { ManagedProcess } from '../../infra/processes';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__testInfra as
    { procs: ManagedProcess[]; dataDir: string } | undefined;
  if (!infra) return;
  await Promise.all(infra.procs.map((p) => p.stop(5_000)));
  fs.rmSync(infra.dataDir, { recursive: true, force: true });
}
