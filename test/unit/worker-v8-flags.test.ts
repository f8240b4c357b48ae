import path from 'node:path';

import { ConfigError, loadConfig } from '../../adapters/config';
import { APP_SERVICES, serviceArgs, serviceEnv } from '../../infra/processes';
import { TEST_SECRETS } from '../helpers/config';

// WORKER_V8_FLAGS is how the worker processes get their heap sizing (docs/performance.md, memory):
// `serviceArgs` is what `npm start` and the bench spawn, so the flags must land there, and only there.
describe('worker V8 flags', () => {
  const dir = '/dist/compiled/x';
  const svc = (name: (typeof APP_SERVICES)[number]['name']) => APP_SERVICES.find((s) => s.name === name)!;

  it('every worker starts with the default flags before its compiled entry', () => {
    for (const s of APP_SERVICES.filter((x) => x.name.endsWith('-worker'))) {
      const args = serviceArgs(s, dir, {});
      expect(args).toEqual([
        '--max-semi-space-size=2',
        '--max-old-space-size=160',
        path.join(dir, s.entry.replace(/\.ts$/, '.js')),
      ]);
    }
  });

  it('the configured flags replace the default; the API and sandbox run through tsx without them', () => {
    expect(serviceArgs(svc('notifications-worker'), dir, { WORKER_V8_FLAGS: ' --max-old-space-size=256  ' })).toEqual([
      '--max-old-space-size=256',
      path.join(dir, 'services/notifications-worker/main.js'),
    ]);
    expect(serviceArgs(svc('api'), dir, { WORKER_V8_FLAGS: '--max-old-space-size=256' })).toEqual([
      '--import',
      'tsx',
      'services/api/main.ts',
    ]);
  });

  it('anything but --flag[=value] options is refused at start-up, naming the variable', () => {
    for (const bad of ['--max-old-space-size=160 script.js', '--cpu-prof-dir=/tmp;rm', '-e']) {
      let error: unknown;
      try {
        loadConfig({ ...TEST_SECRETS, WORKER_V8_FLAGS: bad }, 'onboarding-worker');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(String((error as Error).message)).toContain('WORKER_V8_FLAGS');
      expect(() => serviceArgs(svc('kyc-worker'), dir, { WORKER_V8_FLAGS: bad })).toThrow();
    }
    expect(
      loadConfig({ ...TEST_SECRETS, WORKER_V8_FLAGS: '--max-semi-space-size=4' }, 'onboarding-worker').WORKER_V8_FLAGS,
    ).toEqual(['--max-semi-space-size=4']);
  });

  it('workers start with MALLOC_ARENA_MAX=2 unless the environment sets its own; the API and sandbox keep theirs', () => {
    for (const s of APP_SERVICES.filter((x) => x.name.endsWith('-worker'))) {
      expect(serviceEnv(s, { A: '1' })).toEqual({ A: '1', MALLOC_ARENA_MAX: '2' });
      expect(serviceEnv(s, { MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
    }
    expect(serviceEnv(svc('api'), { A: '1' })).toEqual({ A: '1' });
    expect(serviceEnv(svc('sandbox'), {})).toEqual({});
  });
});
