import {
  allHandlersFinished,
  condition,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';

// The bare Temporal baseline: one workflow, one activity, nothing else.
const { bareActivity } = proxyActivities<{ bareActivity(n: number): Promise<number> }>({
  startToCloseTimeout: '10 seconds',
});

export async function bareWorkflow(n: number): Promise<number> {
  return bareActivity(n);
}

// The one-workflow floor of a registration: started the way the onboarding is (update-with-start,
// the update answered by one local activity in the first workflow task), then done.
const { bareLocalActivity } = proxyLocalActivities<{ bareLocalActivity(n: number): Promise<number> }>({
  startToCloseTimeout: '10 seconds',
});

export const bareRegisterUpdate = defineUpdate<number, [number]>('bareRegister');

export async function bareRegisterWorkflow(): Promise<void> {
  let answered = false;
  setHandler(bareRegisterUpdate, async (n) => {
    const out = await bareLocalActivity(n);
    answered = true;
    return out;
  });
  await condition(() => answered && allHandlersFinished());
}
