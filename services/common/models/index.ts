import type { Connection } from 'mongoose';
import { auditEventModel } from './audit-event';
import { organizationModel } from './organization';
import { systemProbeModel } from './system-probe';
import { userModel } from './user';
import { webhookEventModel } from './webhook-event';
import { verificationRequestModel } from './verification-request';

/** Every model bound to one connection; passed around as `models` instead of mongoose globals. */
export function createModels(conn: Connection) {
  return {
    AuditEvent: auditEventModel(conn),
    Organization: organizationModel(conn),
    SystemProbe: systemProbeModel(conn),
    User: userModel(conn),
    WebhookEvent: webhookEventModel(conn),
    VerificationRequest: verificationRequestModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds the indexes that uniqueness and idempotency depend on before the process takes traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
}
