import { z } from 'zod';

/**
 * Worker Deployment Versioning (docs/architecture.md, "Versioning") for the workers that host
 * workflows. Unset deployment name: the workers poll unversioned, as the tests' and a single
 * `npm run start:*` worker do; `npm start` sets it and makes each new build current itself. Set:
 * the worker polls as version `<WORKER_DEPLOYMENT_NAME>.<build id>`, and nothing reaches it until
 * that version is made current (`temporal worker deployment set-current-version`).
 */
export const workerVersioningSchema = z.object({
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dashes and underscores only (a version is `<name>.<build id>`)')
    .optional(),
  /**
   * The version's build id. Unset: derived from the workflow bundle's content
   * (WORKFLOW_BUNDLE_PATH), so the same workflow code is the same version on every machine.
   */
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.+-]{1,255}$/, 'letters, digits and . _ + - only')
    .optional(),
});
