import { randomUUID } from 'node:crypto';

import type { Models } from '../../adapters/models';
import { TRANSACTION_DIRECTIONS } from '../../adapters/models/transaction';

/** How much demo data to insert; `days` is how far back registrations go. */
export interface DemoSize {
  users: number;
  requests: number;
  transactions: number;
  tenants: number;
  days: number;
  seed: number;
}

/** mulberry32: a small seeded PRNG, so a demo data set can be reproduced. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['NG', 'NG', 'NG', 'GH', 'KE', 'KE', 'ZA', 'US', 'GB', null];
const CURRENCIES = ['NGN', 'NGN', 'USD', 'GHS', 'KES'];
const FAILURE_CODES = ['NUMBER_MISMATCH', 'NAME_MISMATCH', 'PROVIDER_REJECTED'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BATCH = 5000;

/**
 * Inserts demo users, verification requests and transactions in bulk (insertMany, no notes): the
 * caller rebuilds the analytics read models afterwards. Users walk the onboarding funnel part of
 * the way, with consistent milestone times; `onProgress` is told how many rows are in.
 */
export async function insertDemoData(
  models: Models,
  size: DemoSize,
  onProgress: (done: number, total: number) => void = () => {},
) {
  const rnd = prng(size.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const now = Date.now();
  const total = size.users + size.requests + size.transactions;
  let done = 0;
  const run = `${size.seed}-${randomUUID().slice(0, 8)}`;

  const tenants = Array.from({ length: size.tenants }, (_, i) => ({
    _id: randomUUID(),
    name: `Demo Bank ${i + 1}`,
    slug: `demo-bank-${run}-${i + 1}`,
  }));
  if (tenants.length) await models.Organization.insertMany(tenants);

  const userIds: { id: string; tenantId: string | null }[] = [];
  for (let start = 0; start < size.users; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(size.users, start + BATCH); i++) {
      const createdAt = now - Math.floor(rnd() * size.days * DAY);
      const tenantId = tenants.length && rnd() < 0.7 ? pick(tenants)._id : null;
      const reached = (p: number, from: number, maxHours: number) =>
        rnd() < p ? Math.min(now, from + Math.floor(rnd() * maxHours * HOUR)) : null;
      const confirmed = reached(0.8, createdAt, 48);
      const kycStarted = confirmed && reached(0.85, confirmed, 72);
      const kycApproved = kycStarted && reached(0.75, kycStarted, 96);
      const terms = kycApproved && reached(0.9, kycApproved, 24);
      const activated = terms && reached(0.95, terms, 2);
      const status = activated
        ? rnd() < 0.05
          ? 'inactive'
          : 'active'
        : kycStarted && !kycApproved && rnd() < 0.3
          ? 'rejected'
          : kycStarted
            ? 'pending_verification'
            : 'not_verified';
      const staff = tenantId && rnd() < 0.02;
      const lastActive = activated && rnd() < 0.8 ? Math.max(activated, now - Math.floor(rnd() * 45 * DAY)) : null;
      const level = activated ? (rnd() < 0.3 ? 'advanced' : 'basic') : 'none';
      const id = randomUUID();
      userIds.push({ id, tenantId });
      docs.push({
        _id: id,
        tenantId,
        email: `demo-${run}-${i}@demo.test`,
        firstName: 'Demo',
        lastName: `User ${i}`,
        country: pick(COUNTRIES),
        status,
        role: staff ? 'org-staff' : rnd() < 0.05 ? 'freelancer' : 'retail',
        userType: staff ? 'staff' : rnd() < 0.03 ? 'merchant' : 'user',
        staffRole: staff ? pick(['ANALYST', 'AUDITOR', 'COMPLIANCE_OFFICER'] as const) : null,
        kycLevel: level,
        kyc: level !== 'none' && rnd() < 0.5 ? { partner: { tier: level } } : {},
        emailVerifiedAt: confirmed ? new Date(confirmed) : null,
        kycStartedAt: kycStarted ? new Date(kycStarted) : null,
        kycApprovedAt: kycApproved ? new Date(kycApproved) : null,
        termsAcceptedAt: terms ? new Date(terms) : null,
        activatedAt: activated ? new Date(activated) : null,
        lastActiveAt: lastActive ? new Date(lastActive) : null,
        createdAt: new Date(createdAt),
        updatedAt: new Date(now),
      });
    }
    await models.User.insertMany(docs, { ordered: false });
    onProgress((done += docs.length), total);
  }

  for (let start = 0; start < size.requests; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(size.requests, start + BATCH); i++) {
      const u = pick(userIds);
      const id = randomUUID();
      const createdAt = now - Math.floor(rnd() * Math.min(size.days, 90) * DAY);
      const dueAt = createdAt + 7 * DAY;
      const r = rnd();
      const status =
        r < 0.45
          ? 'verified'
          : r < 0.6
            ? 'failed'
            : r < 0.7
              ? 'expired'
              : r < 0.75
                ? 'cancelled'
                : pick(['created', 'notified', 'submitted', 'verifying'] as const);
      const statusAt = Math.min(now, createdAt + Math.floor(rnd() * 6 * DAY));
      const open = ['created', 'notified', 'submitted', 'verifying'].includes(status);
      docs.push({
        _id: id,
        tenantId: u.tenantId,
        userId: u.id,
        types: ['bvn'],
        dueAt: new Date(dueAt),
        createdBy: 'service:demo',
        status,
        statusAt: new Date(statusAt),
        transitions: [
          { status: 'created', at: new Date(createdAt), reason: null },
          ...(status === 'created' ? [] : [{ status, at: new Date(statusAt), reason: null }]),
        ],
        maxSubmissions: 3,
        failure: status === 'failed' ? { code: pick(FAILURE_CODES), message: 'demo' } : null,
        // An open lock per user would collide across demo requests: demo locks are per request.
        lockBvn: open ? `demo:${id}` : `closed:${id}`,
        lockNin: `none:${id}`,
        createdAt: new Date(createdAt),
        updatedAt: new Date(statusAt),
      });
    }
    await models.VerificationRequest.insertMany(docs, { ordered: false });
    onProgress((done += docs.length), total);
  }

  const txTenants = tenants.length ? tenants.map((t) => t._id) : ['demo-tenant'];
  for (let start = 0; start < size.transactions; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(size.transactions, start + BATCH); i++) {
      const tenantId = pick(txTenants);
      const externalId = `demo-${run}-${i}`;
      const createdAt = now - Math.floor(rnd() * size.days * DAY);
      docs.push({
        _id: `${tenantId}:${externalId}`,
        tenantId,
        userId: pick(userIds)?.id ?? 'demo-user',
        externalId,
        direction: pick(TRANSACTION_DIRECTIONS),
        amount: Math.round(rnd() * 500_000) / 100,
        currency: pick(CURRENCIES),
        createdAt: new Date(createdAt),
        recordedAt: new Date(createdAt),
        requiredTier: null,
        status: rnd() < 0.03 ? 'declined' : 'recorded',
      });
    }
    // Straight to the driver: every schema field is set above, and a million mongoose casts and
    // validations cost more than the database's own work.
    await models.Transaction.collection.insertMany(docs as never[], { ordered: false });
    onProgress((done += docs.length), total);
  }
  return {
    tenants: tenants.map((t) => t._id),
    users: size.users,
    requests: size.requests,
    transactions: size.transactions,
  };
}
