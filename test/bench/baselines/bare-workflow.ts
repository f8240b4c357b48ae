import { proxyActivities } from '@temporalio/workflow';

// The bare Temporal baseline: one workflow, one activity, nothing else.
const { bareActivity } = proxyActivities<{ bareActivity(n: number): Promise<number> }>({
  startToCloseTimeout: '10 seconds',
});

export async function bareWorkflow(n: number): Promise<number> {
  return bareActivity(n);
}
