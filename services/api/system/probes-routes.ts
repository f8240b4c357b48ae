import { randomUUID } from 'node:crypto';

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';

import {
  PIPELINE_PROBE_WORKFLOW,
  type PipelineProbeInput,
  pipelineProbeWorkflowId,
} from '../../../domain/contracts/pipeline-probe.contract';
import { taskQueues } from '../../../domain/task-queues';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/app-error';
import { requireOpsToken } from '../http/ops-auth';
import { defineRoute, routesRouter } from '../http/route';

const probeSchema = z
  .object({
    probeId: z.uuid(),
    status: z.enum(['running', 'completed', 'failed', 'timed_out', 'terminated', 'cancelled', 'unknown']),
    requestedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    hops: z.array(z.object({ taskQueue: z.string(), workerIdentity: z.string(), at: z.iso.datetime() })),
  })
  .meta({ id: 'PipelineProbe' });

/**
 * Operator probe of the whole pipeline: API → Temporal → every worker → database → API.
 * Use it after a deploy to see that each worker process is polling and can write.
 */
export function probesRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const guard = requireOpsToken(deps.config);
  const routes = [
    defineRoute({
      method: 'post',
      path: '/ops/probes',
      summary: 'Start a pipeline probe through every worker',
      tags: ['Operations'],
      security: ['opsToken'],
      before: [guard],
      responses: { 202: { description: 'Probe started', data: probeSchema } },
      handler: async () => {
        const probeId = randomUUID();
        const requestedAt = new Date();
        await deps.models.SystemProbe.create({ _id: probeId, requestedAt });
        const queues = taskQueues(deps.config.TASK_QUEUE_PREFIX);
        const input: PipelineProbeInput = { probeId, taskQueues: Object.values(queues) };
        await deps.temporal.workflow.start(PIPELINE_PROBE_WORKFLOW, {
          taskQueue: queues.onboarding,
          workflowId: pipelineProbeWorkflowId(probeId),
          args: [input],
          workflowExecutionTimeout: '5 minutes',
        });
        return {
          status: 202,
          data: {
            probeId,
            status: 'running' as const,
            requestedAt: requestedAt.toISOString(),
            completedAt: null,
            hops: [],
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/ops/probes/:probeId',
      summary: 'Read a pipeline probe back',
      tags: ['Operations'],
      security: ['opsToken'],
      before: [guard],
      request: { params: z.object({ probeId: z.uuid() }) },
      responses: {
        200: { description: 'The probe and the workers that answered', data: probeSchema },
        404: { description: 'Unknown probe' },
      },
      handler: async ({ params }) => {
        const doc = await deps.models.SystemProbe.findById(params.probeId).lean();
        if (!doc) throw notFound('Probe');
        let status: z.infer<typeof probeSchema>['status'] = 'unknown';
        try {
          const desc = await deps.temporal.workflow.getHandle(pipelineProbeWorkflowId(params.probeId)).describe();
          status = desc.status.name.toLowerCase() as typeof status;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        const hops = Object.entries(doc.hops ?? {}).map(([taskQueue, hop]) => ({
          taskQueue,
          workerIdentity: hop.workerIdentity,
          at: new Date(hop.at).toISOString(),
        }));
        return {
          data: {
            probeId: doc._id,
            status,
            requestedAt: doc.requestedAt.toISOString(),
            completedAt: doc.completedAt ? doc.completedAt.toISOString() : null,
            hops,
          },
        };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
