import { mainWorker } from '../common/worker-runner';
import { kycWorkerSpec } from './spec';

mainWorker(kycWorkerSpec);
