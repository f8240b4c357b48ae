import { createSign, generateKeyPairSync } from 'node:crypto';

import twilio from 'twilio';

import { readDelivery } from '../../adapters/notifications/delivery-ledger';
import { startNotification } from '../../adapters/notifications/start-notification';
import { signSendGridEvents } from '../../adapters/providers/sendgrid/signature';
import { taskQueues } from '../../domain/task-queues';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { userWithToken } from '../helpers/auth';
import { TEST_SECRETS } from '../helpers/config';
import { request } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';

describe('notifications end to end', () => {
  let n: NotificationsStack;
  let url: string;
  beforeAll(async () => {
    n = await startNotificationsStack({ workers: [onboardingWorkerSpec, notificationsWorkerSpec] });
    url = n.stack.url;
  });
  afterAll(() => n?.close());

  const svc = () => ({ authorization: `Bearer ${n.serviceToken}` });
  const newUser = (fields: Record<string, unknown> = {}) =>
    userWithToken(n.stack.deps.models, n.stack.deps.config, fields as never);
  const phone = () => `+23480${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const deviceIds = async (u: { user: { _id: string }; headers: Record<string, string> }) =>
    (
      (await request(`${url}/users/${u.user._id}/devices`, { headers: u.headers })).json.data.devices as {
        deviceId: string;
      }[]
    ).map((d) => d.deviceId);
  const getNotification = (id: string) => request(`${url}/users/notifications/${id}`, { headers: svc() });
  const finished = (id: string) =>
    eventually(
      async () => {
        const r = await getNotification(id);
        return r.json?.data?.status !== 'pending' && r.json?.data?.status ? r.json.data : undefined;
      },
      30_000,
      `notification ${id}`,
    );

  it('delivers a KYC update to email, SMS and push, and signed callbacks mark them delivered', async () => {
    const number = phone();
    const { user, headers } = await newUser({ phone: number });
    const token = `device-${user._id}`;
    const device = await request(`${url}/users/${user._id}/devices`, {
      method: 'POST',
      headers,
      json: { token, platform: 'android' },
    });
    expect(device.status).toBe(201);

    const res = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc(),
      json: { userIds: [user._id], status: 'approved' },
    });
    expect(res.status).toBe(202);
    const [{ notificationId }] = res.json.data.notifications;

    const done = await finished(notificationId);
    expect(done.status).toBe('sent');
    expect(n.outbox.list({ to: user.email })).toEqual([
      expect.objectContaining({ channel: 'email', subject: 'Your identity is verified' }),
    ]);
    expect(n.outbox.list({ to: number })).toEqual([
      expect.objectContaining({ channel: 'sms', body: 'Your identity verification was approved.' }),
    ]);
    expect(n.outbox.list({ to: token })).toEqual([
      expect.objectContaining({ channel: 'push', subject: 'Verification approved' }),
    ]);

    // Twilio and SendGrid callbacks (signed by the sandbox, verified by the API) advance the records.
    const channels = await eventually(async () => {
      const c = (await getNotification(notificationId)).json.data.channels as { channel: string; status: string }[];
      return c.filter((x) => x.channel !== 'push').every((x) => x.status === 'delivered') ? c : undefined;
    });
    expect(channels.map((c) => [c.channel, c.status]).sort()).toEqual([
      ['email', 'delivered'],
      ['push', 'sent'],
      ['sms', 'delivered'],
    ]);

    // The same user can read it; another user cannot even learn it exists.
    expect((await request(`${url}/users/notifications/${notificationId}`, { headers })).status).toBe(200);
    const other = await newUser();
    expect((await request(`${url}/users/notifications/${notificationId}`, { headers: other.headers })).status).toBe(
      404,
    );
  });

  it('repeats with the same idempotency key start nothing new', async () => {
    const { user } = await newUser();
    const body = {
      userIds: [user._id],
      status: 'declined',
      reason: 'document expired',
      channels: ['email'],
      idempotencyKey: `case-${user._id}`,
    };
    const first = await request(`${url}/users/notifications/kyc`, { method: 'POST', headers: svc(), json: body });
    await finished(first.json.data.notifications[0].notificationId);
    const again = await request(`${url}/users/notifications/kyc`, { method: 'POST', headers: svc(), json: body });
    expect(again.json.data.notifications).toEqual(first.json.data.notifications);
    await new Promise((r) => setTimeout(r, 500));
    const mails = n.outbox.list({ to: user.email });
    expect(mails).toHaveLength(1);
    expect(mails[0].body).toContain('document expired');
  });

  it('records permanent failures without retrying and falls back push → SMS → email', async () => {
    const owner = await newUser({ phone: '+15005550001' }); // Twilio's magic invalid number (21211)
    const { user } = owner;
    const stale = `unregistered-${user._id}`; // the sandbox's FCM answers UNREGISTERED for it
    const registered = await request(`${url}/users/${user._id}/devices`, {
      method: 'POST',
      headers: owner.headers,
      json: { token: stale, platform: 'ios' },
    });
    expect(registered.status).toBe(201);

    const res = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc(),
      json: { userIds: [user._id], status: 'review', channels: ['push'] },
    });
    const done = await finished(res.json.data.notifications[0].notificationId);

    const by = Object.fromEntries((done.channels as { channel: string }[]).map((c) => [c.channel, c]));
    expect(by.push).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'UNREGISTERED' } });
    expect(by.sms).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'TWILIO_21211' },
      fallbackFor: ['push'],
    });
    expect(by.email).toMatchObject({ status: expect.stringMatching(/sent|delivered/), fallbackFor: ['push'] });
    expect(done.status).toBe('sent');
    expect(n.outbox.list({ to: user.email })).toHaveLength(1);
    expect(n.outbox.list({ to: '+15005550001' })).toHaveLength(0);
    // The provider said the token is stale: it is forgotten.
    expect(await deviceIds(owner)).toEqual([]);
  });

  it('treats an unsubscribed email as permanent and honours channel opt-outs except for transactional messages', async () => {
    const { user, headers } = await newUser({ email: `unsubscribed+${Date.now()}@example.test` });
    const res = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc(),
      json: { userIds: [user._id], status: 'approved' },
    });
    const done = await finished(res.json.data.notifications[0].notificationId);
    expect(done.status).toBe('failed');
    expect(done.channels).toEqual([
      expect.objectContaining({
        channel: 'email',
        status: 'failed',
        attempts: 1,
        error: expect.objectContaining({ code: 'UNSUBSCRIBED' }),
      }),
    ]);

    const opted = await newUser({ phone: phone() });
    const put = await request(`${url}/users/${opted.user._id}/notification-preferences`, {
      method: 'PUT',
      headers: opted.headers,
      json: { channels: { sms: false } },
    });
    expect(put.json.data).toMatchObject({
      channels: { email: true, sms: false, push: true },
      transactionalEvents: expect.arrayContaining(['verification_code']),
    });
    const marketingish = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc(),
      json: { userIds: [opted.user._id], status: 'approved' },
    });
    await finished(marketingish.json.data.notifications[0].notificationId);
    expect(n.outbox.list({ to: opted.user.phone! })).toHaveLength(0);
    expect(n.outbox.list({ to: opted.user.email })).toHaveLength(1);

    // A verification code is transactional: the SMS opt-out does not stop it. (The SMS says the code
    // is in the email: only the email send computes the code, issue 22.)
    const queue = taskQueues(n.stack.deps.config.TASK_QUEUE_PREFIX).notifications;
    const code = {
      notificationId: `code-${opted.user._id}`,
      userId: opted.user._id,
      event: 'verification_code' as const,
      data: {},
      channels: ['sms' as const],
    };
    await startNotification(n.stack.deps.temporal, queue, code);
    await finished(code.notificationId);
    expect(n.outbox.list({ to: opted.user.phone! })).toEqual([
      expect.objectContaining({ body: expect.stringContaining('Your verification code is in your email') }),
    ]);
    expect(headers).toBeDefined();
  });

  it('registers, moves and removes push devices, for the owner only', async () => {
    const a = await newUser();
    const b = await newUser();
    const token = `shared-device-${a.user._id}`;
    const post = (u: typeof a) =>
      request(`${url}/users/${u.user._id}/devices`, {
        method: 'POST',
        headers: u.headers,
        json: { token, platform: 'ios' },
      });
    const first = await post(a);
    expect(first.status).toBe(201);
    expect((await post(a)).json.data.deviceId).toBe(first.json.data.deviceId); // idempotent
    expect(
      (
        await request(`${url}/users/${a.user._id}/devices`, {
          method: 'POST',
          headers: b.headers,
          json: { token, platform: 'ios' },
        })
      ).status,
    ).toBe(404);
    const moved = await post(b); // the same token signed in as b moves to b
    expect(await deviceIds(a)).toEqual([]);
    expect(await deviceIds(b)).toEqual([moved.json.data.deviceId]);
    expect((await request(`${url}/users/${b.user._id}/devices`, { headers: a.headers })).status).toBe(404);
    const del = await request(`${url}/users/${b.user._id}/devices`, {
      method: 'DELETE',
      headers: b.headers,
      json: { token },
    });
    expect(del.json.data).toEqual({ removed: true });
    expect(await deviceIds(b)).toEqual([]);
  });

  it('keeps every concurrent device edit: 30 registrations at once fill exactly the 20 places, then removals and additions race', async () => {
    const u = await newUser();
    const devicesUrl = `${url}/users/${u.user._id}/devices`;
    const tokens = Array.from({ length: 30 }, (_, i) => `race-device-${u.user._id}-${i}`);
    const posts = await Promise.all(
      tokens.map((token) =>
        request(devicesUrl, { method: 'POST', headers: u.headers, json: { token, platform: 'android' } }),
      ),
    );
    const created = posts.filter((r) => r.status === 201);
    expect(created).toHaveLength(20);
    expect(posts.filter((r) => r.status === 409).map((r) => r.json.error.code)).toEqual(
      Array(10).fill('TOO_MANY_DEVICES'),
    );
    expect((await deviceIds(u)).sort()).toEqual(created.map((r) => r.json.data.deviceId).sort());

    // Ten removals at once, then five more racing five new registrations. The list never holds more
    // than 15 during the race (an add racing removals from a full list may rightly meet the limit),
    // so every one of the twenty edits must land.
    const registered = tokens.filter((_, i) => posts[i].status === 201);
    const remove = (token: string) => request(devicesUrl, { method: 'DELETE', headers: u.headers, json: { token } });
    const firstRemoves = await Promise.all(registered.slice(0, 10).map(remove));
    expect(firstRemoves.map((r) => r.json.data.removed)).toEqual(Array(10).fill(true));
    const [removes, adds] = await Promise.all([
      Promise.all(registered.slice(10, 15).map(remove)),
      Promise.all(
        [0, 1, 2, 3, 4].map((i) =>
          request(devicesUrl, {
            method: 'POST',
            headers: u.headers,
            json: { token: `late-device-${u.user._id}-${i}`, platform: 'ios' },
          }),
        ),
      ),
    ]);
    expect(removes.map((r) => r.json.data.removed)).toEqual(Array(5).fill(true));
    expect(adds.map((r) => r.status)).toEqual(Array(5).fill(201));
    const removed = new Set(registered.slice(0, 15));
    const kept = posts.filter((r, i) => r.status === 201 && !removed.has(tokens[i])).map((r) => r.json.data.deviceId);
    expect((await deviceIds(u)).sort()).toEqual([...kept, ...adds.map((r) => r.json.data.deviceId)].sort());
  });

  it('rejects callers without the right service credentials', async () => {
    const { user, headers } = await newUser();
    const body = { userIds: [user._id], status: 'approved' };
    expect((await request(`${url}/users/notifications/kyc`, { method: 'POST', json: body })).status).toBe(401);
    expect((await request(`${url}/users/notifications/kyc`, { method: 'POST', headers, json: body })).status).toBe(401);
    const { createServiceToken } = await import('../../adapters/identity/service-tokens');
    const readOnly = await createServiceToken(n.stack.deps.models, { name: 'reader', scopes: ['notifications:read'] });
    const forbidden = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly.token}` },
      json: body,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('INSUFFICIENT_SCOPE');
    await n.stack.deps.models.ServiceToken.updateOne({ _id: readOnly.id }, { $set: { revokedAt: new Date() } });
    const revoked = await request(`${url}/users/notifications/anything`, {
      headers: { authorization: `Bearer ${readOnly.token}` },
    });
    expect(revoked.json.error.code).toBe('INVALID_SERVICE_TOKEN');
    const unknown = await request(`${url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc(),
      json: { userIds: ['no-such-user'], status: 'approved' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('UNKNOWN_USERS');
  });

  it('rejects forged Twilio and SendGrid callbacks and accepts genuine ones', async () => {
    const { TWILIO_AUTH_TOKEN, API_PUBLIC_URL } = n.stack.deps.config;
    const key = 'forged-test.sms';
    await n.stack.deps.models.NotificationDelivery.create({
      _id: key,
      notificationId: 'forged-test',
      userId: 'u',
      channel: 'sms',
      status: 'sending',
      attempts: 1,
    });
    const path = `/webhooks/twilio/status/${key}`;
    const params = { MessageSid: 'SM123', MessageStatus: 'undelivered', ErrorCode: '30003' };
    const form = new URLSearchParams(params).toString();
    const twilioPost = (signature: string) =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: form,
      });

    expect((await twilioPost('')).status).toBe(401);
    expect(
      (
        await twilioPost(
          twilio.getExpectedTwilioSignature('wrong-token-0123456789', `${API_PUBLIC_URL}${path}`, params),
        )
      ).status,
    ).toBe(401);
    const forged = await twilioPost(
      twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${API_PUBLIC_URL}${path}`, {
        ...params,
        MessageStatus: 'delivered',
      }),
    );
    expect(forged.json.error.code).toBe('INVALID_SIGNATURE');
    expect((await readDelivery(n.stack.deps.models, key))!.status).toBe('sending');
    expect(
      (await twilioPost(twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${API_PUBLIC_URL}${path}`, params)))
        .status,
    ).toBe(200);
    expect((await readDelivery(n.stack.deps.models, key))!.status).toBe('failed');

    const emailKey = 'forged-test.email';
    await n.stack.deps.models.NotificationDelivery.create({
      _id: emailKey,
      notificationId: 'forged-test',
      userId: 'u',
      channel: 'email',
      status: 'sending',
      attempts: 1,
    });
    const body = JSON.stringify([
      {
        email: 'x@example.test',
        event: 'delivered',
        sg_event_id: 'e1',
        sg_message_id: 'm1.x',
        timestamp: 1,
        deliveryKey: emailKey,
      },
    ]);
    const ts = String(Math.floor(Date.now() / 1000));
    const sendgridPost = (signature: string, timestamp = ts, raw = body) =>
      request(`${url}/webhooks/sendgrid/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twilio-email-event-webhook-signature': signature,
          'x-twilio-email-event-webhook-timestamp': timestamp,
        },
        body: raw,
      });
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const signedByOther = createSign('sha256')
      .update(ts + body)
      .sign(otherKey)
      .toString('base64');
    const genuine = signSendGridEvents(TEST_SECRETS.SANDBOX_SENDGRID_EVENT_SIGNING_KEY, ts, body);
    expect((await sendgridPost(signedByOther)).status).toBe(401);
    expect((await sendgridPost(genuine, ts, body.replace('delivered', 'bounce'))).status).toBe(401); // tampered body
    const old = String(Number(ts) - 3600);
    expect(
      (await sendgridPost(signSendGridEvents(TEST_SECRETS.SANDBOX_SENDGRID_EVENT_SIGNING_KEY, old, body), old)).status,
    ).toBe(401); // replayed
    expect((await readDelivery(n.stack.deps.models, emailKey))!.status).toBe('sending');
    const ok = await sendgridPost(genuine);
    expect(ok.status).toBe(200);
    expect((await readDelivery(n.stack.deps.models, emailKey))!.status).toBe('delivered');

    // A genuine batch with entries we cannot use: skipped, the usable ones recorded, never a 500.
    const bounceKey = 'forged-test-2.email';
    await n.stack.deps.models.NotificationDelivery.create({
      _id: bounceKey,
      notificationId: 'forged-test-2',
      userId: 'u',
      channel: 'email',
      status: 'sending',
      attempts: 1,
    });
    const mixed = JSON.stringify([
      null,
      7,
      { event: 'constructor', deliveryKey: bounceKey },
      { event: 'open', deliveryKey: bounceKey },
      { event: 'bounce', deliveryKey: bounceKey, sg_message_id: 42 },
      { event: 'delivered', deliveryKey: emailKey },
    ]);
    const mixedRes = await sendgridPost(
      signSendGridEvents(TEST_SECRETS.SANDBOX_SENDGRID_EVENT_SIGNING_KEY, ts, mixed),
      ts,
      mixed,
    );
    expect(mixedRes.status).toBe(200);
    expect(mixedRes.json.data.received).toBe(2);
    expect(await readDelivery(n.stack.deps.models, bounceKey)).toMatchObject({
      status: 'failed',
      error: { code: 'SENDGRID_BOUNCE' },
    });
    expect((await readDelivery(n.stack.deps.models, emailKey))!.status).toBe('delivered');
  });
});
