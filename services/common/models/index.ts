import type { Connection } from 'mongoose';
import { auditEventModel } from './audit-event';
import { userDevicesModel } from './device';
import { notificationModel } from './notification';
import { notificationDeliveryModel } from './notification-delivery';
import { notificationPreferenceModel } from './notification-preference';
import { serviceTokenModel } from './service-token';
import { organizationModel } from './organization';
import { systemProbeModel } from './system-probe';
import { userModel } from './user';

/** Every model bound to one connection; passed around as `models` instead of mongoose globals. */
export function createModels(conn: Connection) {
  return {
    AuditEvent: auditEventModel(conn),
    Notification: notificationModel(conn),
    NotificationDelivery: notificationDeliveryModel(conn),
    NotificationPreference: notificationPreferenceModel(conn),
    ServiceToken: serviceTokenModel(conn),
    Organization: organizationModel(conn),
    SystemProbe: systemProbeModel(conn),
    User: userModel(conn),
    UserDevices: userDevicesModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds the indexes that uniqueness and idempotency depend on before the process takes traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
}
