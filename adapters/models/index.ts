import type { Connection } from 'mongoose';

import { analyticsOutboxModel } from './analytics-outbox';
import { analyticsCounterModel, analyticsJournalModel, analyticsProjectionModel } from './analytics-read-model';
import { apiClientModel } from './api-client';
import { auditEventModel } from './audit-event';
import { authSessionModel } from './auth-session';
import { bridgeObjectOwnerModel } from './bridge-object-owner';
import { caseActionModel, caseModel, caseQueueModel } from './case';
import { deviceListVersionModel, userDevicesModel } from './device';
import { documentLockModel } from './document-lock';
import { kycCatalogModel } from './kyc-catalog';
import { notificationModel } from './notification';
import { notificationBatchModel, notificationBatchPageModel } from './notification-batch';
import { notificationDeliveryModel } from './notification-delivery';
import { notificationDeliveryEventModel } from './notification-delivery-event';
import { notificationPreferenceModel } from './notification-preference';
import { orgInvitationModel } from './org-invitation';
import { organizationModel } from './organization';
import { partnerKycSubmissionModel } from './partner-kyc-submission';
import { passwordResetCodeModel } from './password-reset-code';
import { passwordSetupTokenModel } from './password-setup-token';
import { pendingRegistrationModel } from './pending-registration';
import { rateLimitSlotModel } from './rate-limit-slot';
import { refreshTokenModel } from './refresh-token';
import { serviceTokenModel } from './service-token';
import { systemProbeModel } from './system-probe';
import { transactionModel } from './transaction';
import { userModel } from './user';
import { verificationRequestModel } from './verification-request';
import { webhookDeliveryModel } from './webhook-delivery';
import { webhookEventModel } from './webhook-event';
import { webhookPendingSignalModel } from './webhook-pending-signal';

/** Every model bound to one connection; passed around as `models` instead of mongoose globals. */
export function createModels(conn: Connection) {
  return {
    AnalyticsOutbox: analyticsOutboxModel(conn),
    AnalyticsCounter: analyticsCounterModel(conn),
    AnalyticsProjection: analyticsProjectionModel(conn),
    AnalyticsJournal: analyticsJournalModel(conn),
    ApiClient: apiClientModel(conn),
    AuditEvent: auditEventModel(conn),
    AuthSession: authSessionModel(conn),
    Case: caseModel(conn),
    CaseAction: caseActionModel(conn),
    CaseQueue: caseQueueModel(conn),
    DocumentLock: documentLockModel(conn),
    KycCatalog: kycCatalogModel(conn),
    BridgeObjectOwner: bridgeObjectOwnerModel(conn),
    Notification: notificationModel(conn),
    NotificationBatch: notificationBatchModel(conn),
    NotificationBatchPage: notificationBatchPageModel(conn),
    NotificationDelivery: notificationDeliveryModel(conn),
    NotificationDeliveryEvent: notificationDeliveryEventModel(conn),
    NotificationPreference: notificationPreferenceModel(conn),
    ServiceToken: serviceTokenModel(conn),
    Organization: organizationModel(conn),
    OrgInvitation: orgInvitationModel(conn),
    PartnerKycSubmission: partnerKycSubmissionModel(conn),
    PasswordResetCode: passwordResetCodeModel(conn),
    PasswordSetupToken: passwordSetupTokenModel(conn),
    PendingRegistration: pendingRegistrationModel(conn),
    RateLimitSlot: rateLimitSlotModel(conn),
    RefreshToken: refreshTokenModel(conn),
    SystemProbe: systemProbeModel(conn),
    Transaction: transactionModel(conn),
    User: userModel(conn),
    WebhookEvent: webhookEventModel(conn),
    WebhookDelivery: webhookDeliveryModel(conn),
    WebhookPendingSignal: webhookPendingSignalModel(conn),
    VerificationRequest: verificationRequestModel(conn),
    UserDevices: userDevicesModel(conn),
    DeviceListVersion: deviceListVersionModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds the indexes that uniqueness and idempotency depend on before the process takes traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
}
