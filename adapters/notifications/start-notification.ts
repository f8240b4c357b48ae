import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';

import { type NotificationRequest, NOTIFY_WORKFLOW, notifyWorkflowId } from '../../domain/contracts/notify.contract';

/**
 * Starts `notify-<notificationId>`; an id that already ran (or runs) is success, and a closed one
 * is never run again (REJECT_DUPLICATE), so repeating a request cannot send twice.
 */
export async function startNotification(
  client: Client,
  taskQueue: string,
  req: NotificationRequest & { source?: string },
): Promise<{ notificationId: string; started: boolean }> {
  try {
    await client.workflow.start(NOTIFY_WORKFLOW, {
      workflowId: notifyWorkflowId(req.notificationId),
      taskQueue,
      args: [req],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // Its first and last workflow tasks run a local activity (a database write): a busy worker
      // gets 30 s, not the default 10, before the server hands the task to another.
      workflowTaskTimeout: '30 seconds',
    });
    return { notificationId: req.notificationId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      return { notificationId: req.notificationId, started: false };
    throw err;
  }
}
