/**
 * A failure the client can act on. `code` is machine-readable and stable; `message` is for
 * humans; `details` carries structured context (never secrets or stack traces).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Resource') => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const unauthorized = (message = 'Authentication required', code = 'UNAUTHORIZED') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You are not allowed to do this', code = 'FORBIDDEN') =>
  new AppError(403, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const tooManyRequests = (
  retryAfterSeconds: number,
  code = 'RATE_LIMITED',
  message = 'Too many requests, try again later',
) =>
  new AppError(
    429,
    code,
    message,
    { retryAfterSeconds },
    { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  );
export const serviceUnavailable = (message = 'A dependency is unavailable, try again shortly') =>
  new AppError(503, 'SERVICE_UNAVAILABLE', message);
