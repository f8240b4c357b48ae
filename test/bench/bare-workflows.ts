import { randomUUID } from 'node:crypto';

import { Client, Connection } from '@temporalio/client';

import { pool } from './journey-steps';

// Runs the bare one-activity workflow (baselines/bare-worker.ts) `count` times, `concurrency` at a
// time, on the bench's Temporal server; history length read from one run.
export async function runBareWorkflows(temporalAddress: string, count: number, concurrency: number) {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  try {
    const t0 = performance.now();
    const ids = await pool(Array.from({ length: count }), concurrency, async (_x, i) => {
      const workflowId = `bare-${randomUUID()}`;
      await client.workflow.execute('bareWorkflow', { workflowId, taskQueue: 'bare-bench', args: [i] });
      return workflowId;
    });
    const seconds = (performance.now() - t0) / 1000;
    const events = (await client.workflow.getHandle(ids[0]).fetchHistory()).events?.length ?? 0;
    return {
      seconds,
      perSecond: count / seconds,
      eventsPerWorkflow: events,
      eventsPerSecond: (count * events) / seconds,
    };
  } finally {
    await connection.close();
  }
}

export async function historyLength(temporalAddress: string, workflowId: string): Promise<number> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    return (await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
  } finally {
    await connection.close();
  }
}
