import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { VersioningBehavior } from '@temporalio/common';

import { ConfigError, loadConfig } from '../../adapters/config';
import { bundleBuildId, workerDeploymentVersion } from '../../adapters/temporal/worker-deployment';
import { checkWorkflowShape, WORKFLOW_SHAPE } from '../../infra/dev-stack/workflow-shape';
import type * as hosted from '../../workflows';
import { VERSIONING_BEHAVIORS } from '../../workflows/versioning';
import { TEST_SECRETS } from '../helpers/config';

// Compile-time: every workflow the bundle exports has a versioning behaviour, and nothing else has one
// (a new workflow fails the typecheck until workflows/versioning.ts names its behaviour).
const everyHostedWorkflow: Record<keyof typeof hosted, VersioningBehavior> = VERSIONING_BEHAVIORS;
const onlyHostedWorkflows: Record<keyof typeof VERSIONING_BEHAVIORS, unknown> = {} as Record<
  keyof typeof hosted,
  unknown
>;
void everyHostedWorkflow;
void onlyHostedWorkflows;

const secrets = TEST_SECRETS;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'versioning-'));

describe('worker versioning configuration', () => {
  it('unset deployment name: the worker polls unversioned', () => {
    expect(workerDeploymentVersion(loadConfig({ ...secrets }, 'onboarding-worker'))).toBeUndefined();
  });

  it('a versioned worker needs a build id or a bundle to name its version after', () => {
    expect(() => loadConfig({ ...secrets, WORKER_DEPLOYMENT_NAME: 'kyc' }, 'onboarding-worker')).toThrow(ConfigError);
    expect(() => loadConfig({ ...secrets, WORKER_DEPLOYMENT_NAME: 'kyc' }, 'onboarding-worker')).toThrow(
      /WORKER_BUILD_ID: a versioned worker/,
    );
    const config = loadConfig(
      { ...secrets, WORKER_DEPLOYMENT_NAME: 'kyc', WORKER_BUILD_ID: 'v7' },
      'notifications-worker',
    );
    expect(workerDeploymentVersion(config)).toEqual({ deploymentName: 'kyc', buildId: 'v7' });
  });

  it('the build id derived from a bundle follows its bytes', () => {
    const dir = tmp();
    const [a, b, c] = ['a.js', 'b.js', 'c.js'].map((f) => path.join(dir, f));
    fs.writeFileSync(a, 'workflow code 1');
    fs.writeFileSync(b, 'workflow code 1');
    fs.writeFileSync(c, 'workflow code 2');
    expect(bundleBuildId(a)).toBe(bundleBuildId(b));
    expect(bundleBuildId(a)).not.toBe(bundleBuildId(c));
    const config = loadConfig(
      { ...secrets, WORKER_DEPLOYMENT_NAME: 'kyc', WORKFLOW_BUNDLE_PATH: c },
      'onboarding-worker',
    );
    expect(workerDeploymentVersion(config)).toEqual({ deploymentName: 'kyc', buildId: bundleBuildId(c) });
  });
});

describe("npm start's workflow shape stamp (.data/)", () => {
  it('a new .data/ is stamped with this shape and starts', () => {
    const dir = tmp();
    expect(checkWorkflowShape(dir, { reset: false })).toEqual({ ok: true });
    expect(fs.readFileSync(path.join(dir, 'workflow-shape'), 'utf8').trim()).toBe(String(WORKFLOW_SHAPE));
    fs.writeFileSync(path.join(dir, 'temporal.db'), 'runs');
    expect(checkWorkflowShape(dir, { reset: false })).toEqual({ ok: true });
  });

  it('runs from before the stamp: one line with the command, nothing moved; with the reset, set aside', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'temporal.db'), 'old runs');
    fs.writeFileSync(path.join(dir, 'temporal.db-wal'), 'old wal');
    const refused = checkWorkflowShape(dir, { reset: false });
    expect(refused.ok).toBe(false);
    const line = (refused as { line: string }).line;
    expect(line).not.toContain('\n');
    expect(line).toContain("made before onboarding's patched() markers collapsed");
    expect(line).toContain('npm start -- --reset-workflows');
    expect(fs.readFileSync(path.join(dir, 'temporal.db'), 'utf8')).toBe('old runs');

    expect(checkWorkflowShape(dir, { reset: true })).toMatchObject({
      ok: true,
      note: expect.stringContaining('shape 1'),
    });
    expect(fs.existsSync(path.join(dir, 'temporal.db'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'temporal.db.shape-1', 'temporal.db'), 'utf8')).toBe('old runs');
    expect(fs.readFileSync(path.join(dir, 'temporal.db.shape-1', 'temporal.db-wal'), 'utf8')).toBe('old wal');
    expect(checkWorkflowShape(dir, { reset: false })).toEqual({ ok: true });
  });

  it('runs made by newer code are refused too', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'temporal.db'), 'runs');
    fs.writeFileSync(path.join(dir, 'workflow-shape'), `${WORKFLOW_SHAPE + 1}\n`);
    expect(checkWorkflowShape(dir, { reset: false })).toMatchObject({
      ok: false,
      line: expect.stringContaining('newer code'),
    });
  });
});
