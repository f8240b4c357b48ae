import type { WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

import { testDataConverter } from './temporal';

const isPayload = (v: unknown): v is Payload => typeof v === 'object' && v !== null && 'data' in v && 'metadata' in v;

/**
 * Everything a workflow's history holds, as text, with every payload decrypted the way the codec
 * endpoint (and so the Temporal UI) would: what someone reading the history could see.
 */
export async function decodedHistoryText(handle: WorkflowHandle): Promise<string> {
  const codec = testDataConverter().payloadCodecs![0];
  const history = await handle.fetchHistory();
  const payloads: Payload[] = [];
  const walk = (v: unknown) => {
    if (isPayload(v)) payloads.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(history);
  const decoded = await codec.decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}
