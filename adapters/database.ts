import mongoose, { type Connection } from 'mongoose';

export type { Connection };

/**
 * Opens a dedicated connection (never mongoose's global one) so that tests and processes can
 * hold several and close them deterministically. `autoIndex` builds the unique indexes that
 * idempotency relies on; `syncModelIndexes` in `createModels` waits for them.
 */
export async function connectDatabase(
  uri: string,
  opts: { dbName?: string; serverSelectionTimeoutMS?: number } = {},
): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5_000,
    autoIndex: true,
    // FerretDB and MongoDB both accept retryable writes only on replica sets; keep it explicit.
    retryWrites: false,
  });
  await conn.asPromise();
  return conn;
}

/** Readiness: a round trip to the server, bounded so a hung database fails the probe quickly. */
export async function pingDatabase(conn: Connection, timeoutMs = 2_000): Promise<void> {
  if (conn.readyState !== 1 || !conn.db) throw new Error('database not connected');
  const db = conn.db;
  await withTimeout(db.command({ ping: 1 }), timeoutMs, 'database ping timed out');
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
