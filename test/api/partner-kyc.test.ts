import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { createApp } from '../../services/api/app';
import { kycCatalogList, kycCatalogSet } from '../../services/ops/commands/kyc-catalog';
import { listen, request } from '../helpers/http';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';
import { imagesFor, partnerTenant } from '../helpers/partner-kyc';

const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/seed-003-kyc-status.json'), 'utf8'));
const seedRules = seed.advancedDocuments[6].requiredFields.kycRules;
const BVN = '67da909b739fc481aa525c45';
const PASSPORT = '67da93c0dfd3a00f3380b85b';
const person = { first_name: 'John', last_name: 'Doe', dob: '2000-01-01T00:00:00.000Z' };

describe('partner KYC API (seed 003) over HTTP', () => {
  let s: OnboardingStack;
  let a: Awaited<ReturnType<typeof partnerTenant>>;
  let b: Awaited<ReturnType<typeof partnerTenant>>;
  const post = (p: string, key: string | undefined, json: unknown) =>
    s.api(p, { method: 'POST', headers: key ? { 'x-client-id': key } : {}, json });
  const status = (key: string, email: string, countryIsoCode = 'NG') =>
    post('/api/user/kyc/status', key, { email, countryIsoCode });
  const submit = (key: string, email: string, documentId: string, userFields: Record<string, unknown>) =>
    post('/api/user/kyc/submit', key, { email, documentId, userFields });
  const waitStatus = (key: string, email: string, check: (body: Record<string, unknown>) => boolean) =>
    s.waitFor(() => status(key, email).then((r) => r.json), check, 60_000);

  beforeAll(async () => {
    s = await startOnboardingStack();
    a = await partnerTenant(s.stack.deps, 'Partner A');
    b = await partnerTenant(s.stack.deps, 'Partner B');
  }, 120_000);
  afterAll(() => s?.close());

  it('tokens answer the seed shape; status for a new Nigerian user is the seed catalog field for field', async () => {
    const email = `${randomUUID()}@example.com`;
    const tokens = await post('/api/user/tokens', a.key, { email, countryIsoCode: 'NG' });
    expect(tokens.status).toBe(200);
    expect(Object.keys(tokens.json).sort()).toEqual(['accessToken', 'refreshToken']);
    const res = await status(a.key, `new-${email}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      passedKycType: 'none',
      reachedKycLimit: false,
      kycStatus: 'not_submitted',
      kycStatusDescription: 'No documents submitted',
      basicDocuments: seed.basicDocuments,
      advancedDocuments: seed.advancedDocuments,
      kycRules: seedRules,
    });
    const user = await s.stack.deps.models.User.findOne({ email: `new-${email}` }).lean();
    expect(user).toMatchObject({ tenantId: a.tenantId, country: 'NG', kycLevel: 'none' });
    // /openapi.json documents the bare shapes with the seed's examples.
    const doc = (await s.api('/openapi.json')).json;
    const ok = (p: string) => doc.paths[p].post.responses['200'].content['application/json'].schema;
    expect(ok('/api/user/kyc/status')).toEqual({ $ref: '#/components/schemas/PartnerKycStatus' });
    expect(
      doc.components.schemas.PartnerKycStatus.example.advancedDocuments.map((d: { _id: string }) => d._id),
    ).toEqual(seed.advancedDocuments.map((d: { _id: string }) => d._id));
    expect(JSON.stringify(ok('/api/user/kyc/submit'))).toContain('"success"');
    expect(JSON.stringify(ok('/api/user/tokens'))).not.toContain('"data"');
  });

  it("carries kycRules where seed 003 shows them (the last advanced document's requiredFields) as well as at the top level", async () => {
    const email = `rules-${randomUUID()}@example.com`;
    const res = await status(a.key, email);
    expect(res.status).toBe(200);
    const docs: { _id: string; requiredFields: Record<string, unknown> }[] = res.json.advancedDocuments;
    const seedLast = seed.advancedDocuments[seed.advancedDocuments.length - 1];
    expect(docs[docs.length - 1]._id).toBe(seedLast._id);
    expect(docs[docs.length - 1].requiredFields.kycRules).toEqual(seedLast.requiredFields.kycRules);
    expect(res.json.kycRules).toEqual(seedLast.requiredFields.kycRules);
    // Only there: no other document carries them.
    const others = [...res.json.basicDocuments, ...docs.slice(0, -1)] as { requiredFields: Record<string, unknown> }[];
    expect(others.filter((d) => 'kycRules' in d.requiredFields)).toEqual([]);
    // Not a field to submit: sent back as one, it is an unknown field.
    const sent = await submit(a.key, email, seedLast._id, { ...person, kycRules: res.json.kycRules });
    expect(sent.status).toBe(400);
    expect(sent.json.error.code).toBe('INVALID_USER_FIELDS');
    expect(sent.json.error.details).toContainEqual(
      expect.objectContaining({ field: 'kycRules', code: 'UNKNOWN_FIELD' }),
    );
  });

  it('refuses disabled clients, unknown countries (naming the supported ones) and unknown users on submit', async () => {
    expect((await status(a.disabledKey, 'x@example.com')).json.error.code).toBe('PARTNER_KYC_DISABLED');
    expect((await status('ck_wrong', 'x@example.com')).status).toBe(401);
    const us = await status(a.key, 'x@example.com', 'US');
    expect(us.status).toBe(400);
    expect(us.json.error).toMatchObject({
      code: 'UNSUPPORTED_COUNTRY',
      details: { supported: ['GH', 'KE', 'NG', 'ZA'] },
    });
    expect(await s.stack.deps.models.User.countDocuments({ email: 'x@example.com' })).toBe(0);
    const ghost = await submit(a.key, 'ghost@example.com', BVN, { ...person, id_number: '22200000001' });
    expect([ghost.status, ghost.json.error.code]).toEqual([404, 'USER_NOT_FOUND']);
    const gh = await status(a.key, `gh-${randomUUID()}@example.com`, 'GH');
    expect(gh.json.basicDocuments.map((d: { value: string }) => d.value)).toEqual(['GHANA_CARD', 'SSNIT']);
  });

  it('bad BVN → 400 per field, nothing stored; a failed lookup can be resubmitted; good BVN → basic, approved', async () => {
    const email = `${randomUUID()}@example.com`;
    await status(a.key, email);
    const bad = await submit(a.key, email, BVN, { ...person, id_number: '12345678', dob: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_USER_FIELDS');
    expect(bad.json.error.details).toEqual([
      { field: 'dob', code: 'INVALID_DATE', message: expect.any(String) },
      { field: 'id_number', code: 'PATTERN_MISMATCH', message: expect.stringContaining('00000000000') },
    ]);
    const user = (await s.stack.deps.models.User.findOne({ email }).lean())!;
    expect(await s.stack.deps.models.PartnerKycSubmission.countDocuments({ userId: user._id })).toBe(0);

    const noMatch = await submit(a.key, email, BVN, { ...person, id_number: '22200000003' });
    expect([noMatch.status, noMatch.json]).toEqual([200, { success: true }]);
    await waitStatus(a.key, email, (r) => r.kycStatus === 'rejected');
    expect(await status(a.key, email).then((r) => r.json)).toMatchObject({
      passedKycType: 'none',
      kycStatusDescription: 'No Match',
    });

    const good = await submit(a.key, email, BVN, { ...person, id_number: '22200000001' });
    expect([good.status, good.json]).toEqual([200, { success: true }]);
    const after = await waitStatus(a.key, email, (r) => r.kycStatus === 'approved');
    expect(after).toMatchObject({ passedKycType: 'basic', kycStatus: 'approved', kycStatusDescription: 'Exact Match' });
    // PII: the number is never echoed and is stored only sealed.
    expect(JSON.stringify(after)).not.toContain('22200000001');
    const stored = await s.stack.deps.models.PartnerKycSubmission.find({ userId: user._id }).lean();
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toMatch(/2220000000[13]|2000-01-01|John/);
    const audit = await s.stack.deps.models.AuditEvent.find({
      subject: user._id,
      action: { $in: ['partner_kyc.approved', 'partner_kyc.rejected'] },
    }).lean();
    expect(audit.map((e) => e.action).sort()).toEqual(['partner_kyc.approved', 'partner_kyc.rejected']);
    await s.waitFor(
      () => s.notifications.filter((n) => n.userId === user._id).map((n) => n.event),
      (ev) => ev.includes('kyc_approved') && ev.includes('kyc_declined'),
    );
  }, 120_000);

  it('step-up: an onramp of 25 is held for a basic user; an advanced document through the sandbox lifts the tier and releases it', async () => {
    const email = `${randomUUID()}@example.com`;
    await status(a.key, email);
    await submit(a.key, email, BVN, { ...person, id_number: '22200000001' });
    await waitStatus(a.key, email, (r) => r.passedKycType === 'basic');
    const userId = (await s.stack.deps.models.User.findOne({ email }).lean())!._id;

    const may = await post('/api/user/kyc/limits', a.key, { email, direction: 'onramp', amount: 50 });
    expect(may.json).toMatchObject({ allowed: false, passedKycType: 'basic', requiredKycType: 'advanced' });
    expect(may.json.documents.map((d: { _id: string }) => d._id)).toEqual(
      seed.advancedDocuments.map((d: { _id: string }) => d._id),
    );
    expect(
      (await post('/api/user/kyc/limits', a.key, { email, direction: 'offramp', amount: 19.99 })).json,
    ).toMatchObject({ allowed: true, requiredKycType: 'basic', documents: [] });

    const tx = {
      transactionId: `tx-${randomUUID()}`,
      userId,
      direction: 'onramp',
      amount: 25,
      currency: 'USD',
      createdAt: new Date().toISOString(),
    };
    const svc = { authorization: `Bearer ${a.serviceToken}` };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => s.api('/transactions', { method: 'POST', headers: svc, json: tx })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(results.map((r) => JSON.stringify(r.json.data))).size).toBe(1);
    expect(results[0].json.data).toMatchObject({ status: 'held', requiredKycType: 'advanced' });
    expect(
      (await s.api('/transactions', { method: 'POST', headers: svc, json: { ...tx, amount: 26 } })).json.error.code,
    ).toBe('TRANSACTION_ID_REUSED');
    expect((await status(a.key, email)).json.reachedKycLimit).toBe(true);
    expect(
      (await post('/api/user/transactions/status', a.key, { transactionId: tx.transactionId })).json,
    ).toMatchObject({ status: 'held', requiredKycType: 'advanced' });
    // Another tenant's client sees neither the user nor the transaction.
    expect((await status(b.key, email)).json.error.code).toBe('EMAIL_UNAVAILABLE');
    expect((await post('/api/user/transactions/status', b.key, { transactionId: tx.transactionId })).status).toBe(404);

    const rejectedDoc = await submit(a.key, email, PASSPORT, { ...person, images: imagesFor('SANDBOX-REJECT') });
    expect(rejectedDoc.json).toEqual({ success: true });
    await waitStatus(a.key, email, (r) => r.kycStatus === 'rejected');
    expect((await status(a.key, email)).json).toMatchObject({
      passedKycType: 'basic',
      kycStatusDescription: 'Document Not Verified',
    });

    expect((await submit(a.key, email, PASSPORT, { ...person, images: imagesFor() })).json).toEqual({ success: true });
    const lifted = await waitStatus(a.key, email, (r) => r.passedKycType === 'advanced');
    expect(lifted).toMatchObject({ kycStatus: 'approved', kycStatusDescription: 'Document Verified' });
    await s.waitFor(
      () =>
        post('/api/user/transactions/status', a.key, { transactionId: tx.transactionId }).then((r) => r.json.status),
      (st) => st === 'released',
      60_000,
    );
    expect((await status(a.key, email)).json.reachedKycLimit).toBe(false);
  }, 180_000);

  it("createdAt cannot move an amount out of the 30-day window: the server's clock decides; future createdAt beyond 5 min is refused", async () => {
    const email = `${randomUUID()}@example.com`;
    await status(a.key, email); // NG, passed tier none: onramp [0,2) none, [2,20) basic
    const userId = (await s.stack.deps.models.User.findOne({ email }).lean())!._id;
    const svc = { authorization: `Bearer ${a.serviceToken}` };
    const record = (amount: number, createdAt: Date) =>
      s.api('/transactions', {
        method: 'POST',
        headers: svc,
        json: {
          transactionId: `tx-${randomUUID()}`,
          userId,
          direction: 'onramp',
          amount,
          currency: 'USD',
          createdAt: createdAt.toISOString(),
        },
      });
    const day = 86_400_000;

    // Backdated 31 days: recorded (1.5 alone needs no tier), and it still counts in the window.
    const backdated = new Date(Date.now() - 31 * day);
    const old = await record(1.5, backdated);
    expect([old.status, old.json.data.status, old.json.data.requiredKycType]).toEqual([201, 'recorded', 'none']);
    expect(old.json.data.createdAt).toBe(backdated.toISOString()); // kept as reported
    expect(Date.now() - Date.parse(old.json.data.recordedAt)).toBeLessThan(60_000); // the server's clock
    // 1.5 + 1.5 = 3 in the window → basic needed → held (before: the backdated 1.5 fell out of the window, so this was "recorded").
    const now = await record(1.5, new Date());
    expect([now.status, now.json.data.status, now.json.data.requiredKycType]).toEqual([201, 'held', 'basic']);
    const limits = await post('/api/user/kyc/limits', a.key, { email, direction: 'onramp', amount: 0 });
    expect(limits.json).toMatchObject({ volume30d: 3, requiredByVolume: 'basic' });

    // Future-dated beyond the skew: refused, nothing stored; within the skew (4 min): accepted.
    const before = await s.stack.deps.models.Transaction.countDocuments({ userId });
    for (const ahead of [6 * 60_000, day, 400 * day]) {
      const future = await record(0.5, new Date(Date.now() + ahead));
      expect([future.status, future.json.error.code]).toEqual([400, 'CREATED_AT_IN_FUTURE']);
      expect(future.json.error.details).toMatchObject({
        maxSkewSeconds: 300,
        serverTime: expect.any(String),
        createdAt: expect.any(String),
      });
    }
    expect(await s.stack.deps.models.Transaction.countDocuments({ userId })).toBe(before);
    const skewed = await record(0.5, new Date(Date.now() + 4 * 60_000));
    expect([skewed.status, skewed.json.data.status]).toEqual([201, 'held']); // 3.5 in the window: basic
    expect((await post('/api/user/kyc/limits', a.key, { email, direction: 'onramp', amount: 0 })).json.volume30d).toBe(
      3.5,
    );
    // The route's OpenAPI documents the code.
    const doc = (await s.api('/openapi.json')).json;
    expect(doc.paths['/transactions'].post.responses['400'].description).toContain('CREATED_AT_IN_FUTURE');
  }, 120_000);

  it('concurrency: 50 status calls for one new email create one user; 10 submits at once end in one approved state', async () => {
    const email = `${randomUUID()}@example.com`;
    const all = await Promise.all(Array.from({ length: 50 }, () => status(a.key, email)));
    expect(all.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await s.stack.deps.models.User.countDocuments({ email })).toBe(1);
    const submits = await Promise.all(
      Array.from({ length: 10 }, () => submit(a.key, email, BVN, { ...person, id_number: '22200000001' })),
    );
    expect(submits.map((r) => r.status)).toEqual(Array(10).fill(200));
    await waitStatus(a.key, email, (r) => r.passedKycType === 'basic' && r.kycStatus === 'approved');
  }, 120_000);

  it('other id types and countries through the Smile ID sandbox: partial match per catalog policy, not found, no match', async () => {
    const cases = [
      // NG accepts partial matches (the seed shows approved / Partial Match); GH does not.
      {
        country: 'NG',
        doc: '67da909b739fc481aa525c4b',
        id: 'ABC-000000002',
        expect: { passedKycType: 'basic', kycStatus: 'approved', kycStatusDescription: 'Partial Match' },
      },
      {
        country: 'GH',
        doc: '67e0a1000000000000000101',
        id: 'GHA-000000000-2',
        expect: { passedKycType: 'none', kycStatus: 'rejected', kycStatusDescription: 'Partial Match' },
      },
      {
        country: 'KE',
        doc: '67e0a1000000000000000201',
        id: '10000004',
        expect: { passedKycType: 'none', kycStatus: 'rejected', kycStatusDescription: 'Not Found' },
      },
      {
        country: 'ZA',
        doc: '67e0a1000000000000000301',
        id: '9001015800085',
        expect: { passedKycType: 'basic', kycStatus: 'approved', kycStatusDescription: 'Exact Match' },
      },
      {
        country: 'NG',
        doc: '67da909b739fc481aa525c43',
        id: 'VIN 0000003',
        expect: { passedKycType: 'none', kycStatus: 'rejected', kycStatusDescription: 'No Match' },
      },
    ];
    await Promise.all(
      cases.map(async (c) => {
        const email = `${c.country}-${randomUUID()}@example.com`;
        await status(a.key, email, c.country);
        const res = await submit(a.key, email, c.doc, { ...person, id_number: c.id });
        expect([res.status, res.json]).toEqual([200, { success: true }]);
        const body = await s.waitFor(
          () => status(a.key, email, c.country).then((r) => r.json),
          (r) => r.kycStatus !== 'not_submitted' && r.kycStatus !== 'pending',
          60_000,
        );
        expect({ c: c.id, ...body }).toMatchObject({ c: c.id, ...c.expect });
      }),
    );
  }, 120_000);

  it('ops: kyc-catalog-set stores a validated, audited new version (rules only or whole); partners see it at once', async () => {
    const ctx = { config: s.stack.deps.config, models: s.stack.deps.models };
    const file = path.join(fs.mkdtempSync('/tmp/kyc-catalog-'), 'rules.json');
    const rules = {
      onramp: [
        { min: 0, max: 5, type: 'none' },
        { min: 5, max: 'Infinity', type: 'basic' },
      ],
      offramp: seedRules.offramp,
    };
    fs.writeFileSync(file, JSON.stringify({ kycRules: rules }));
    expect(
      await kycCatalogSet.run({ ...ctx, args: { country: 'KE', file, reason: 'lower KE limits', actor: 'ops@test' } }),
    ).toMatch(/KE catalog v2 stored/);
    expect(await kycCatalogList.run({ ...ctx, args: {} })).toMatch(/KE v2 .* onramp 0-5:none 5-Infinity:basic/);
    const ke = await status(a.key, `ke-${randomUUID()}@example.com`, 'KE');
    expect(ke.json.kycRules.onramp).toEqual(rules.onramp);
    const event = await s.stack.deps.models.AuditEvent.findOne({
      subject: 'KE:2',
      action: 'kyc_catalog.version_created',
    }).lean();
    expect(event).toMatchObject({
      actor: 'ops:ops@test',
      from: { version: 1 },
      to: { version: 2 },
      reason: 'lower KE limits',
    });
    // A catastrophic pattern or a gap in the rules is refused and nothing is stored.
    fs.writeFileSync(
      file,
      JSON.stringify({
        kycRules: {
          ...rules,
          onramp: [
            { min: 0, max: 5, type: 'none' },
            { min: 6, max: 'Infinity', type: 'basic' },
          ],
        },
      }),
    );
    await expect(kycCatalogSet.run({ ...ctx, args: { country: 'KE', file } })).rejects.toThrow(/min 6 should be 5/);
    const whole = JSON.parse(await kycCatalogList.run({ ...ctx, args: { country: 'KE' } }));
    whole.documents[0].requiredFields.id_number.regexp = '^([0-9]+)+$';
    fs.writeFileSync(file, JSON.stringify(whole));
    await expect(kycCatalogSet.run({ ...ctx, args: { country: 'KE', file } })).rejects.toThrow(/backtrack/);
    // The review's patterns: each refused quickly, naming the document, the field and why.
    const reported: [string, RegExp][] = [
      ['^\\u{41', /needs the u flag/],
      ['(?<n', /unterminated group name/],
      ['^[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*$', /polynomial backtracking/],
    ];
    for (const [regexp, why] of reported) {
      whole.documents[0].requiredFields.id_number.regexp = regexp;
      fs.writeFileSync(file, JSON.stringify(whole));
      const start = performance.now();
      const err = await kycCatalogSet.run({ ...ctx, args: { country: 'KE', file } }).then(
        () => null,
        (e: Error) => e,
      );
      expect(performance.now() - start).toBeLessThan(1000);
      expect(err?.message).toMatch(
        /document 67e0a1000000000000000201 \(NATIONAL_ID\) field id_number: regexp .* refused \(super-linear backtracking risk or unsupported syntax\)/,
      );
      expect(err?.message).toMatch(why);
    }
    expect(await s.stack.deps.models.KycCatalog.countDocuments({ country: 'KE' })).toBe(1);
  });

  it('a stored version the guard now refuses (e.g. the polynomial KE pattern stored before it) is never served (the last valid one is), is listed as INVALID, and a fix can be stored', async () => {
    const ctx = { config: s.stack.deps.config, models: s.stack.deps.models };
    const { KycCatalog } = s.stack.deps.models;
    const good = JSON.parse(await kycCatalogList.run({ ...ctx, args: { country: 'GH' } }));
    const bad = structuredClone(good);
    bad.documents[0].requiredFields.id_number.regexp = '^[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*$';
    bad.version = good.version + 1;
    await KycCatalog.create({
      _id: `GH:${bad.version}`,
      country: 'GH',
      version: bad.version,
      catalog: bad,
      actor: 'ops:before-the-guard',
      reason: null,
    });
    expect(await kycCatalogList.run({ ...ctx, args: {} })).toMatch(
      new RegExp(
        `GH v${bad.version}  INVALID, not served \\(1 problem: document .* field id_number: regexp .*\\); v${good.version} is served`,
      ),
    );
    // The version in force stays the last one that validates; --raw prints the refused one to fix.
    expect(JSON.parse(await kycCatalogList.run({ ...ctx, args: { country: 'GH' } })).version).toBe(good.version);
    expect(
      JSON.parse(await kycCatalogList.run({ ...ctx, args: { country: 'GH', raw: true } })).documents[0].requiredFields
        .id_number.regexp,
    ).toBe(bad.documents[0].requiredFields.id_number.regexp);
    // Partners are served the last valid version, never the bad one and never a 500.
    const email = `gh-${randomUUID()}@example.com`;
    expect((await status(a.key, email, 'GH')).status).toBe(200);
    // A corrected whole catalog is stored as the next version and served at once.
    const file = path.join(fs.mkdtempSync('/tmp/kyc-catalog-'), 'gh.json');
    fs.writeFileSync(file, JSON.stringify(good));
    expect(await kycCatalogSet.run({ ...ctx, args: { country: 'GH', file, reason: 'fix pattern' } })).toMatch(
      new RegExp(`GH catalog v${bad.version + 1} stored`),
    );
    expect((await status(a.key, email, 'GH')).status).toBe(200);
  });

  it('limits submits per client across instances (429)', async () => {
    const config = { ...s.stack.deps.config, RATE_LIMIT_PARTNER_KYC_SUBMITS_PER_CLIENT: 2 };
    const now = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 + 7_200_000); // a window no other test uses
    const [x, y] = [
      await listen(createApp({ ...s.stack.deps, config, now })),
      await listen(createApp({ ...s.stack.deps, config, now })),
    ];
    try {
      const codes = [];
      for (const url of [x.url, y.url, x.url]) {
        const r = await request(`${url}/api/user/kyc/submit`, {
          method: 'POST',
          headers: { 'x-client-id': b.key },
          json: { email: 'nobody@example.com', documentId: BVN, userFields: {} },
        });
        codes.push(r.status);
      }
      expect(codes).toEqual([404, 404, 429]);
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });
});
