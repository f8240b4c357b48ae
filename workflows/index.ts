// Every workflow the onboarding worker hosts. The worker bundles this file (and only its imports).
export { pipelineProbe } from './pipeline-probe';
export { notify } from './notify';
