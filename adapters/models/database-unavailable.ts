/**
 * Whether a database error means "out of reach or overloaded, retry shortly" rather than a bug
 * or bad data. Classified by the driver's error classes (their `name`) and server error codes,
 * never by message text.
 */

// MongoDB driver classes for a server that cannot be reached or answered in time.
const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
]);

// Server error codes of a node shutting down, stepping down or losing its network
// (https://www.mongodb.com/docs/manual/reference/error-codes/).
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null | undefined;
  if (!e || typeof e.name !== 'string') return false;
  if (UNAVAILABLE_NAMES.has(e.name)) return true;
  if (e.name === 'MongoServerError' && typeof e.code === 'number') return UNAVAILABLE_CODES.has(e.code);
  // Mongoose gives each of its own failures a class of its own (ValidationError, CastError,
  // DocumentNotFoundError, VersionError, …); the bare MongooseError is what an operation gets when
  // it waited for a connection that never came (bufferTimeoutMS). Its other uses are misuse of the
  // API that tests meet first; they would read as 503 here, and are logged as errors all the same.
  return e.name === 'MongooseError';
}
