import { mainWorker } from '../common/worker-runner';
import { onboardingWorkerSpec } from './spec';

mainWorker(onboardingWorkerSpec);
