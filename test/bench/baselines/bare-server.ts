// The bare baseline the bench compares against: Express + the same argon2id cost + the same JWT
// code + plain inserts and `_id` reads on the same database, none of the project's machinery.
import { randomUUID } from 'node:crypto';

import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import express from 'express';
import mongoose from 'mongoose';

import { loadConfig } from '../../../adapters/config';
import { createPasswordHasher } from '../../../adapters/crypto/passwords';
import { createAccessTokens } from '../../../services/api/auth/access-tokens';
import { BARE_TASK_QUEUE } from './bare-worker';

async function main() {
  const config = loadConfig();
  const passwords = createPasswordHasher(config);
  const tokens = createAccessTokens(config);
  const db = await mongoose.createConnection(process.env.BARE_MONGODB_URI!).asPromise();
  const users = db.collection<{ _id: string; email: string; passwordHash: string; firstName: string; createdAt: Date }>(
    'users',
  );
  // The one-workflow floor (bare-workflow.ts): a registration that must pass through one workflow.
  const temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  const app = express();
  app.use(express.json());
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/register', async (req, res) => {
    const _id = randomUUID();
    await users.insertOne({
      _id,
      email: req.body.email,
      passwordHash: await passwords.hash(req.body.password),
      firstName: req.body.firstName,
      createdAt: new Date(),
    });
    res.status(201).json({ success: true, data: { userId: _id } });
  });
  // The bare register plus one bare workflow started as the onboarding is (update-with-start whose
  // update a local activity answers): what a registration through one workflow costs at least.
  app.post('/register-workflow', async (req, res) => {
    const _id = randomUUID();
    await users.insertOne({
      _id,
      email: req.body.email,
      passwordHash: await passwords.hash(req.body.password),
      firstName: req.body.firstName,
      createdAt: new Date(),
    });
    await temporal.workflow.executeUpdateWithStart('bareRegister', {
      args: [1],
      startWorkflowOperation: new WithStartWorkflowOperation('bareRegisterWorkflow', {
        workflowId: `bare-register-${_id}`,
        taskQueue: BARE_TASK_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    res.status(201).json({ success: true, data: { userId: _id } });
  });
  app.post('/login', async (req, res) => {
    const user = await users.findOne({ _id: req.body.userId });
    if (!user || !(await passwords.verify(user.passwordHash, req.body.password)))
      return void res.status(401).json({ success: false });
    const { token } = await tokens.issue({
      userId: user._id,
      tenantId: null,
      tokenVersion: 0,
      sessionId: randomUUID(),
    });
    res.json({ success: true, data: { accessToken: token } });
  });
  app.get('/me', async (req, res) => {
    try {
      const claims = await tokens.verify((req.header('authorization') ?? '').replace(/^Bearer /, ''));
      const user = await users.findOne({ _id: claims.userId }, { projection: { passwordHash: 0 } });
      res.json({ success: true, data: user });
    } catch {
      res.status(401).json({ success: false });
    }
  });
  app.post('/echo', (req, res) => void res.json({ success: true, data: req.body }));
  const server = app.listen(Number(process.env.BARE_PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([db.close(), temporal.connection.close()]).then(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(`bare server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
