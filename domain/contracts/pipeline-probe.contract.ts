// Contract of the pipeline probe, shared by the workflow and the API.
export const PIPELINE_PROBE_WORKFLOW = 'pipelineProbe';
export const pipelineProbeWorkflowId = (probeId: string) => `pipeline-probe-${probeId}`;

export interface PipelineProbeInput {
  probeId: string;
  /** Task queues whose workers must answer; the workflow itself runs on the onboarding queue. */
  taskQueues: string[];
}

export interface PipelineProbeResult {
  hops: { taskQueue: string; workerIdentity: string }[];
}
