import { randomUUID } from 'node:crypto';

import { loadConfig } from '../../../adapters/config';
import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { connectDatabase } from '../../../adapters/database';
import { createModels } from '../../../adapters/models';
import { signBridgeWebhook } from '../../../adapters/providers/bridge/signature';
import { veriffSignature } from '../../../adapters/providers/veriff/signature';
import { receiveBridgeWebhook, receiveVeriffWebhook } from '../../../use-cases/webhooks/receive-kyc-webhook';
import type { BenchInfra } from '../scenario';

/**
 * The ack path alone, measured in this process: the intake command the route calls (signature,
 * sealing, the inbox and pending inserts), on the bench's database, with a dispatcher that sends
 * nothing. Counts the database operations by collection and method (mongoose's debug hook on a
 * connection of its own) and the command's CPU. Run after the load: the pending entries it leaves
 * are sent later by the API's sweeper, to runs the scenario no longer counts.
 */
export async function ackPathCost(
  infra: BenchInfra,
  env: NodeJS.ProcessEnv,
  veriffUser: { userId: string; sessionId: string },
  bridgeUser: { userId: string; kycLinkId: string },
  n = 40,
): Promise<{ operations: string; cpu: string }> {
  const config = loadConfig(env, 'api');
  const conn = await connectDatabase(`${infra.mongodbUri}/kyc_bench`);
  try {
    const models = createModels(conn);
    const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
    const sealer = createFieldCipher(config.PII_ENCRYPTION_KEYS);
    const dispatcher = {
      // Sealed as the API's dispatcher seals (services/api/webhooks/webhook-signals.ts), so its sweeper can open it.
      seal: (id: string, d: unknown) => sealer.encrypt(JSON.stringify(d), `pending-signal:${id}`),
      enqueue: () => undefined,
    };
    const deps = { models, cipher, dispatcher, now: () => new Date() };
    const counts = { veriff: new Map<string, number>(), bridge: new Map<string, number>() };
    let current: Map<string, number> | null = null;
    conn.set('debug', (collection: string, method: string) => {
      // Index builds are the models' start-up (autoIndex), not the intake's.
      if (current && method !== 'createIndex')
        current.set(`${collection}.${method}`, (current.get(`${collection}.${method}`) ?? 0) + 1);
    });
    const veriff = async () => {
      const body = JSON.stringify({
        id: veriffUser.sessionId,
        attemptId: randomUUID(),
        feature: 'selfid',
        code: 7002,
        action: 'started',
        vendorData: veriffUser.userId,
      });
      const r = await receiveVeriffWebhook(
        { ...deps, veriff: { apiKey: config.VERIFF_API_KEY, sharedSecret: config.VERIFF_SHARED_SECRET } },
        {
          body: Buffer.from(body),
          signature: veriffSignature(config.VERIFF_SHARED_SECRET, body),
          client: config.VERIFF_API_KEY,
        },
      );
      if (!r.ok) throw new Error(`veriff intake refused: ${r.reason}`);
    };
    const bridgeKey = env.SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY!.replace(/\\n/g, '\n');
    const bridge = async () => {
      const body = JSON.stringify({
        api_version: 'v0',
        event_id: `wh_${randomUUID()}`,
        event_category: 'kyc_link',
        event_type: 'kyc_link.updated',
        event_object_id: bridgeUser.kycLinkId,
        event_object: { id: bridgeUser.kycLinkId, kyc_status: 'under_review', tos_status: 'pending' },
        event_created_at: new Date().toISOString(),
      });
      const r = await receiveBridgeWebhook(
        {
          ...deps,
          bridge: {
            publicKeyPem: config.BRIDGE_WEBHOOK_PUBLIC_KEY,
            maxAgeMs: config.BRIDGE_WEBHOOK_MAX_AGE_SECONDS * 1000,
          },
        },
        { body: Buffer.from(body), signature: signBridgeWebhook(bridgeKey, body, Date.now()) },
      );
      if (!r.ok) throw new Error(`bridge intake refused: ${r.reason}`);
    };
    const cpuMs: Record<string, number> = {};
    for (const [name, one] of [
      ['veriff', veriff],
      ['bridge', bridge],
    ] as const) {
      await one(); // warm: first use of the key, the connection pool
      current = counts[name];
      const t0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await one();
      const d = process.cpuUsage(t0);
      current = null;
      cpuMs[name] = (d.user + d.system) / 1000 / n;
    }
    const per = (m: Map<string, number>) =>
      `${[...m.values()].reduce((a, b) => a + b, 0) / n} (${[...m].map(([k, v]) => `${k} ${v / n}`).join(', ')})`;
    return {
      operations: `Veriff ${per(counts.veriff)}; Bridge ${per(counts.bridge)}`,
      cpu: `Veriff ${cpuMs.veriff.toFixed(1)}, Bridge ${cpuMs.bridge.toFixed(1)}`,
    };
  } finally {
    await conn.close();
  }
}
