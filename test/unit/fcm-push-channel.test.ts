import http from 'node:http';
import https from 'node:https';

import express from 'express';

import { createFcmPushChannel } from '../../activities/notifications/channels/push';
import { PermanentChannelError } from '../../adapters/notifications/channel';
import { Outbox } from '../../services/sandbox/outbox';
import { pushRouter } from '../../services/sandbox/push';
import { listen, type RunningServer } from '../helpers/http';

// firebase-admin hard-codes https://fcm.googleapis.com: this test redirects that one host to the
// sandbox push provider (same FCM v1 wire shape), so the real SDK's request building is exercised.
describe('FCM push channel (real firebase-admin SDK)', () => {
  const outbox = new Outbox();
  const seen: { path?: string; auth?: string; body?: unknown }[] = [];
  let server: RunningServer;
  const originalRequest = https.request;

  beforeAll(async () => {
    const app = express();
    app.use(
      express.json(),
      (req, _res, next) => (seen.push({ path: req.path, auth: req.headers.authorization, body: req.body }), next()),
    );
    app.use(pushRouter({ outbox }));
    server = await listen(app);
    const target = new URL(server.url);
    (https as { request: unknown }).request = (
      options: http.RequestOptions,
      cb?: (res: http.IncomingMessage) => void,
    ) => {
      if (options.hostname !== 'fcm.googleapis.com' && options.host !== 'fcm.googleapis.com')
        return originalRequest(options, cb!);
      const { agent: _agent, ...rest } = options;
      return http.request(
        { ...rest, protocol: 'http:', hostname: target.hostname, host: target.hostname, port: target.port },
        cb,
      );
    };
  });
  afterAll(async () => {
    (https as { request: unknown }).request = originalRequest;
    await server?.close();
  });

  const channel = createFcmPushChannel(
    { FCM_PROJECT_ID: 'demo-project', FCM_SERVICE_ACCOUNT_PATH: undefined },
    {
      credential: { getAccessToken: async () => ({ access_token: 'fake-oauth-token', expires_in: 3600 }) },
      appName: 'fcm-test',
    },
  );

  it('builds the FCM v1 request and returns the message name', async () => {
    const sent = await channel.send({
      token: 'device-abc-123',
      title: 'Verification approved',
      body: 'Your identity is verified.',
      data: { event: 'kyc_approved' },
      idempotencyKey: 'k1',
    });
    expect(sent.providerMessageId).toMatch(/^projects\/demo-project\/messages\//);
    expect(seen.at(-1)).toEqual({
      path: '/v1/projects/demo-project/messages:send',
      auth: 'Bearer fake-oauth-token',
      body: {
        message: {
          token: 'device-abc-123',
          notification: { title: 'Verification approved', body: 'Your identity is verified.' },
          data: { event: 'kyc_approved' },
        },
      },
    });
    expect(outbox.list({ to: 'device-abc-123' })).toHaveLength(1);
  });

  it('maps UNREGISTERED to a permanent failure', async () => {
    const err = await channel
      .send({ token: 'unregistered-device', title: 't', body: 'b', data: {}, idempotencyKey: 'k2' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(PermanentChannelError);
    expect(err.code).toBe('UNREGISTERED');
  });
});
