import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';

/**
 * The data converter every client and worker uses. Payload encryption plugs in here (a
 * PayloadCodec), so nothing else has to change when it is switched on.
 */
export function createDataConverter(_config: Config): DataConverter {
  return {};
}
