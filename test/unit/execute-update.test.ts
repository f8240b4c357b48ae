import type { WorkflowHandle } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';

import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';

const echo = defineUpdate<string, [string]>('echo');
const noArgs = defineUpdate<string>('noArgs');
const dropped = () => ({ name: 'ServiceError', message: 'unexpected workflow task failure', cause: { code: 9 } });

/** A handle whose executeUpdate answers from a script and records each call's options. */
function scriptedHandle(outcomes: Array<() => unknown>) {
  const calls: Array<{ name: string; args?: unknown[]; updateId?: string }> = [];
  const handle = {
    executeUpdate: async (def: { name: string }, opts: { args?: unknown[]; updateId?: string }) => {
      calls.push({ name: def.name, ...opts });
      return outcomes[calls.length - 1]!();
    },
  } as unknown as WorkflowHandle;
  return { handle, calls };
}

describe('executeUpdateSurvivingTaskFailures', () => {
  it('sends a dropped update again under the same update id, and returns its result', async () => {
    const { handle, calls } = scriptedHandle([
      () => Promise.reject(dropped()),
      () => Promise.reject(dropped()),
      () => 'done',
    ]);
    await expect(executeUpdateSurvivingTaskFailures(handle, echo, 'hi')).resolves.toBe('done');
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.args)).toEqual([['hi'], ['hi'], ['hi']]);
    expect(new Set(calls.map((c) => c.updateId)).size).toBe(1);
    expect(calls[0]!.updateId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives up after three retries with the last error', async () => {
    const { handle, calls } = scriptedHandle(Array.from({ length: 5 }, () => () => Promise.reject(dropped())));
    await expect(executeUpdateSurvivingTaskFailures(handle, noArgs)).rejects.toMatchObject({ cause: { code: 9 } });
    expect(calls).toHaveLength(4);
    expect(calls[0]!.args).toEqual([]);
  });

  it('passes any other failure through at once (the caller keeps its own catch)', async () => {
    const refused = new Error('validator said no');
    const { handle, calls } = scriptedHandle([() => Promise.reject(refused), () => 'never']);
    await expect(executeUpdateSurvivingTaskFailures(handle, echo, 'x')).rejects.toBe(refused);
    expect(calls).toHaveLength(1);
  });
});
