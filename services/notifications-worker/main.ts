import { mainWorker } from '../common/worker-runner';
import { notificationsWorkerSpec } from './spec';

mainWorker(notificationsWorkerSpec);
