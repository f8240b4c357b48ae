import type { DataConverter, PayloadCodec } from '@temporalio/common';

import type { Config } from './config';
import { createPayloadCodec } from './crypto/payload-codec';

/**
 * The data converter every client and worker uses: payloads are encrypted (PayloadCodec,
 * AES-256-GCM) with PAYLOAD_CODEC_KEYS, or PII_ENCRYPTION_KEYS when that is unset.
 * Search attributes are not payloads of the codec: they never carry PII.
 */
export function createDataConverter(config: CodecKeys): DataConverter {
  return { payloadCodecs: [payloadCodecFor(config)] };
}

type CodecKeys = Pick<Config, 'PAYLOAD_CODEC_KEYS' | 'PII_ENCRYPTION_KEYS'>;

/** The codec alone, for the codec server endpoint the Temporal Web UI calls. */
export function payloadCodecFor(config: CodecKeys): PayloadCodec {
  return createPayloadCodec(config.PAYLOAD_CODEC_KEYS ?? config.PII_ENCRYPTION_KEYS);
}
