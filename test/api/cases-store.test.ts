import { randomUUID } from 'node:crypto';

import { rebuildCaseQueues } from '../../adapters/cases/case-queues';
import type { CaseObservation } from '../../adapters/cases/case-source';
import { countOpenCases, markOpen, markResolved } from '../../adapters/cases/case-store';
import type { CaseDoc } from '../../adapters/models/case';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The case writer's own rules (adapters/cases/case-store.ts): one record per `<kind>:<subject>`,
 * reopened rather than doubled, and a write from an older read never overwriting a newer one (the
 * sweep and an action's refresh race). The flows that make cases are in test/e2e/cases.test.ts.
 */
describe('case store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  const obs = (subjectId: string, attempts = 1): CaseObservation => ({
    kind: 'verification_failed',
    subjectType: 'verificationRequest',
    subjectId,
    tenantId: 'tenant-1',
    ownerUserId: 'user-1',
    workflowId: `verification-request-${subjectId}`,
    why: {
      step: 'failed',
      since: new Date('2026-01-01T00:00:00Z'),
      lastProviderEvent: 'NO_MATCH',
      attempts,
      detail: null,
    },
  });
  const read = async (id: string) => (await db.models.Case.findById(id).lean()) as CaseDoc;
  const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 0, 0, s));

  it('opens once, refreshes why, resolves, reopens with a new version; older reads change nothing', async () => {
    const subject = randomUUID();
    const id = `verification_failed:${subject}`;
    expect(await markOpen(db.models, obs(subject), at(1))).toBe('opened');
    expect(await markOpen(db.models, obs(subject), at(2))).toBe('kept'); // unchanged: no write
    expect(await markOpen(db.models, obs(subject, 2), at(3))).toBe('updated');
    expect((await read(id)).why?.attempts).toBe(2);
    expect((await read(id)).version).toBe(1);

    // An action read the subject at 5 and resolved it; a sweep that read it at 4 must not reopen it.
    expect(await markResolved(db.models, await read(id), at(5), 'action:retry')).toBe(true);
    expect(await markOpen(db.models, obs(subject, 2), at(4))).toBe('kept');
    expect(await read(id)).toMatchObject({ open: false, resolution: 'action:retry', version: 2 });

    // Stuck again, read later: the same record reopens.
    expect(await markOpen(db.models, obs(subject, 3), at(6))).toBe('opened');
    expect(await read(id)).toMatchObject({
      open: true,
      resolution: null,
      closedAt: null,
      version: 3,
      why: { attempts: 3 },
    });
    expect(await db.models.Case.countDocuments({ subjectId: subject })).toBe(1);
  });

  it('two writers opening the same case at once make one record', async () => {
    const subject = randomUUID();
    const results = await Promise.all([
      markOpen(db.models, obs(subject), at(1)),
      markOpen(db.models, obs(subject), at(1)),
    ]);
    expect(results.sort()).toEqual(['kept', 'opened']);
    expect(await db.models.Case.countDocuments({ subjectId: subject })).toBe(1);
  });

  it('counts open cases by kind and age bucket from the queues, zeros included', async () => {
    const now = new Date();
    const fresh = randomUUID();
    await markOpen(
      db.models,
      { ...obs(fresh), kind: 'kyc_review', subjectType: 'user' },
      new Date(now.getTime() - 30 * 60_000),
    );
    const old = randomUUID();
    await markOpen(
      db.models,
      { ...obs(old), kind: 'kyc_review', subjectType: 'user' },
      new Date(now.getTime() - 3 * 86_400_000),
    );
    await rebuildCaseQueues(db.models, now); // the end of a sweep pass
    const rows = await countOpenCases(db.models, now);
    const count = (kind: string, bucket: string) => rows.find((r) => r.kind === kind && r.ageBucket === bucket)?.count;
    expect(count('kyc_review', '<1h')).toBe(1);
    expect(count('kyc_review', '1d-7d')).toBe(1);
    expect(count('kyc_review', '>7d')).toBe(0);
    expect(count('webhook_unroutable', '<1h')).toBe(0);
  });
});
