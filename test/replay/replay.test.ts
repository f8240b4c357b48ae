import fs from 'node:fs';
import path from 'node:path';

import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

import { testDataConverter, workflowBundle } from '../helpers/temporal';

// Saved histories of real runs of the current code, one per scenario, each replayed against the
// current code: a change to workflow code that would break a running workflow (non-determinism)
// fails here. The tests that run the scenarios record them: `RECORD_HISTORIES=1 npx jest <file>`
// (test/workflows/onboarding*.test.ts, notify, partner-kyc, analytics-roller, verification-sweep; test/api/status-writer
// with RECORD_HISTORIES_SUFFIX= ; test/e2e/onboarding-journey with RECORD_HISTORIES_SUFFIX=-e2e), or
// `.tools/venv/bin/temporal workflow show -w <workflowId> -o json > test/replay/histories/<name>.json`.
// Payloads may be encrypted with the test keys (TEST_SECRETS): replay uses the same codec as the services.
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has saved histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter: testDataConverter() },
        history,
        file.replace(/\.json$/, ''),
      ),
    ).resolves.toBeUndefined();
  });
});
