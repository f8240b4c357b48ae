import { randomBytes } from 'node:crypto';

import { connectDatabase, type Connection } from '../../adapters/database';
import { createModels, ensureIndexes, type Models } from '../../adapters/models';

export interface TestDatabase {
  conn: Connection;
  models: Models;
  close(): Promise<void>;
}

/** A database of its own for one test file, dropped when the file is done. */
export async function createTestDatabase(uri = process.env.TEST_MONGODB_URI!): Promise<TestDatabase> {
  const conn = await connectDatabase(uri, { dbName: `test_${randomBytes(6).toString('hex')}` });
  const models = createModels(conn);
  await ensureIndexes(models);
  return {
    conn,
    models,
    async close() {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}
