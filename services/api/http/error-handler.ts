import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

import type { Logger } from '../../../adapters/logger';
import { isDatabaseUnavailable } from '../../../adapters/models/database-unavailable';
import { DocumentBusyError } from '../../../adapters/models/document-lock';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { isTemporalUnavailable } from '../../../adapters/temporal/grpc-status';
import { AppError } from './app-error';
import { errorBody } from './envelope';
import { httpFailure } from './failure-table';

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

// body-parser reports its failures with a `type`; each becomes a precise client error.
const BODY_PARSER_ERRORS: Record<string, Omit<Mapped, 'details'>> = {
  'entity.parse.failed': { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_ENCODING', message: 'Unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_CHARSET', message: 'Unsupported charset' },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', message: 'The request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'INVALID_REQUEST_SIZE',
    message: 'Request size did not match Content-Length',
  },
};

export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * A dependency out of reach or overloaded: Temporal (gRPC UNAVAILABLE / DEADLINE_EXCEEDED, by the
 * status code its ServiceError carries), an update the server could not answer in time, the
 * database (by driver error class and server code). The request may succeed if retried, so 503 +
 * Retry-After rather than a 500 that reads as our bug. Never by message text.
 */
function isUnavailable(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return (
    isTemporalUnavailable(err) ||
    name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
    name === 'TransportError' ||
    isDatabaseUnavailable(err)
  );
}

const internal = (requestId: string | null): Mapped => ({
  status: 500,
  code: 'INTERNAL',
  message: 'Internal server error: quote the request id when reporting it',
  details: { requestId },
});

export function mapError(err: unknown, requestId: string | null = null): Mapped {
  if (err instanceof AppError)
    return { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers };
  // Workflow failures go through the one failure table (failure-table.ts).
  const failure = httpFailure(err);
  if (failure === 'internal') return internal(requestId);
  if (failure) return mapError(failure);
  if (err instanceof ZodError)
    return { status: 400, code: 'VALIDATION_ERROR', message: 'The request is invalid', details: zodDetails(err) };
  const typed = err as { type?: string; status?: number; code?: number | string; name?: string };
  if (typed?.type && BODY_PARSER_ERRORS[typed.type]) return BODY_PARSER_ERRORS[typed.type];
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return { status: 409, code: 'ALREADY_STARTED', message: 'This process is already running' };
  if (err instanceof WorkflowNotFoundError) return { status: 404, code: 'NOT_FOUND', message: 'Resource not found' };
  if (isDuplicateKeyError(err))
    return { status: 409, code: 'CONFLICT', message: 'A record with the same identity already exists' };
  // A record whose write lock stayed taken for the whole wait (document-lock.ts): a hot record, or
  // a writer that died holding it until its lease ends. Retrying shortly succeeds.
  if (err instanceof DocumentBusyError)
    return {
      status: 503,
      code: 'RECORD_BUSY',
      message: 'The record is being changed by other requests, try again shortly',
      headers: { 'Retry-After': '1' },
    };
  if (isUnavailable(err))
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'A dependency is unavailable, try again shortly',
      headers: { 'Retry-After': '5' },
    };
  if (typeof typed?.status === 'number' && typed.status >= 400 && typed.status < 500) {
    return { status: typed.status, code: 'BAD_REQUEST', message: 'The request could not be processed' };
  }
  return internal(requestId);
}

/** The single place errors become HTTP: envelope, status, headers; internals only in logs. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const mapped = mapError(err, typeof req.id === 'string' ? req.id : req.id != null ? String(req.id) : null);
    const log = (req as { log?: Logger }).log ?? logger;
    if (mapped.status >= 500) log.error({ err }, 'request failed');
    else log.debug({ code: mapped.code }, 'request rejected');
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(mapped.headers ?? {})) res.setHeader(k, v);
    res.status(mapped.status).json(errorBody(mapped.code, mapped.message, mapped.details));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};
