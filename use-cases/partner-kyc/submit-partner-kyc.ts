import { randomUUID } from 'node:crypto';

import type { Client } from '@temporalio/client';

import type { ProcessConfig } from '../../adapters/config';
import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
import { sealFields } from '../../adapters/partner-kyc/sealed-fields';
import { startMayHaveReachedServer } from '../../adapters/temporal/start-failure';
import {
  PARTNER_KYC_WORKFLOW,
  type PartnerKycInput,
  partnerKycWorkflowId,
  submitDocumentSignal,
} from '../../domain/contracts/partner-kyc.contract';
import { findDocument } from '../../domain/partner-kyc/catalog';
import type { PatternTester } from '../../domain/partner-kyc/fields';
import { validateUserFields } from '../../domain/partner-kyc/fields';
import { taskQueues } from '../../domain/task-queues';
import { badRequest } from '../app-error';
import { catalogFor } from './partner-kyc-state';
import { findPartnerUser, type PartnerClient } from './partner-users';

export interface SubmitPartnerKycDeps {
  config: ProcessConfig<'api'>;
  models: Models;
  temporal: Client;
  logger: Logger;
  cipher: FieldCipher;
  /** Runs a catalog pattern within its time budget (adapters/partner-kyc/pattern-budget.ts). */
  testPattern: PatternTester;
  now: () => Date;
}

export interface PartnerKycSubmission {
  email: string;
  documentId: string;
  userFields: Record<string, unknown>;
}

/**
 * Seed 003 submit: the user's fields are checked against the document's `requiredFields` (400
 * INVALID_USER_FIELDS, nothing stored), sealed into a submission record, and handed to the durable
 * verification of that user and document (one workflow per pair: two submits meet in one run).
 * Temporal out of reach: the record goes again and the error answers 503, so a retry starts afresh.
 */
export async function submitPartnerKyc(
  deps: SubmitPartnerKycDeps,
  client: PartnerClient,
  submission: PartnerKycSubmission,
): Promise<void> {
  const { models, config } = deps;
  const user = await findPartnerUser(models, client, submission.email);
  const catalog = await catalogFor(models, user.country ?? '');
  const doc = findDocument(catalog, submission.documentId);
  if (!doc) {
    const documentIds = catalog.documents.map((d) => d._id);
    throw badRequest('UNKNOWN_DOCUMENT', `No document ${submission.documentId} in the ${catalog.country} catalog`, {
      documentIds,
    });
  }
  const fields = { ...submission.userFields };
  if (doc.requiredFields.email && fields.email === undefined) fields.email = submission.email;
  const checked = validateUserFields(doc, fields, deps.now(), deps.testPattern);
  if (!checked.ok) {
    const slow = checked.problems.filter((p) => p.code === 'PATTERN_TIMEOUT').map((p) => p.field);
    if (slow.length) {
      deps.logger.error(
        { country: catalog.country, catalogVersion: catalog.version, documentId: doc._id, fields: slow },
        'catalog pattern ran out of its time budget: fix the catalog (kyc-catalog-set)',
      );
    }
    throw badRequest('INVALID_USER_FIELDS', 'Some fields are invalid', checked.problems);
  }
  const submissionId = randomUUID();
  const idNumber = typeof checked.values.id_number === 'string' ? checked.values.id_number : null;
  await models.PartnerKycSubmission.create({
    _id: submissionId,
    tenantId: client.tenantId,
    userId: user._id,
    clientId: client.clientId,
    country: catalog.country,
    catalogVersion: catalog.version,
    documentId: doc._id,
    documentType: doc.type,
    documentValue: doc.value,
    fieldsSealed: sealFields(deps.cipher, submissionId, checked.values),
    idNumberLast3: idNumber ? idNumber.slice(-3) : null,
  });
  const input: PartnerKycInput = {
    userId: user._id,
    tenantId: client.tenantId,
    documentId: doc._id,
    idleMinutes: config.PARTNER_KYC_IDLE_MINUTES,
  };
  try {
    await deps.temporal.workflow.signalWithStart(PARTNER_KYC_WORKFLOW, {
      workflowId: partnerKycWorkflowId(user._id, doc._id),
      taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
      args: [input],
      signal: submitDocumentSignal,
      signalArgs: [{ submissionId }],
    });
  } catch (err) {
    // No workflow will read this submission, so its sealed fields go; a deadline that ran out may
    // have delivered the signal: then the row stays for that run.
    if (!startMayHaveReachedServer(err)) await models.PartnerKycSubmission.deleteOne({ _id: submissionId });
    throw err;
  }
}
