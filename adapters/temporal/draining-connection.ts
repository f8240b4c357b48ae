import {
  InterceptingCall,
  type Interceptor,
  type InterceptorOptions,
  Metadata,
  type NextCall,
  type Requester,
  status,
  type StatusObject,
} from '@grpc/grpc-js';
import { Connection, type ConnectionOptions, defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';

/**
 * A Temporal client Connection that closes safely while calls are in flight.
 *
 * The SDK's retry interceptor (@temporalio/client grpc-retry.ts, makeGrpcRetryInterceptor) waits
 * for a retry with a bare setTimeout and creates the next attempt on the channel when it fires. If
 * `connection.close()` ran meanwhile, grpc-js throws "Channel has been shut down" from that timer:
 * outside any promise, so the process dies with an uncaught exception and the call's own promise
 * never settles. Any process that closes its client while Temporal is briefly unreachable can hit
 * it (the API's shutdown, the ops CLI, the workers' schedule/sweep clients).
 *
 * This connection uses its own retry interceptor (the same policy, defaultGrpcRetryOptions) that
 * knows every call in flight. close() then: refuses new calls with a clear UNAVAILABLE error, ends
 * the calls waiting in retry backoff at once with their last failure, lets the calls on the wire
 * finish (bounded by `closeTimeoutMs`, then cancels them), and only then closes the channel.
 */

/** How long close() lets calls already on the wire finish before cancelling them. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

const CLOSED_MESSAGE = 'Temporal client is closed: the process is shutting down';

/**
 * Shaped like a gRPC error (code, details, metadata) so the SDK wraps it as a ServiceError with code
 * UNAVAILABLE: callers already treat that as "Temporal out of reach, try again later".
 */
export function temporalClientClosedError(): Error {
  return Object.assign(new Error(CLOSED_MESSAGE), {
    name: 'TemporalClientClosedError',
    code: status.UNAVAILABLE,
    details: CLOSED_MESSAGE,
    metadata: new Metadata(),
  });
}

/** One call from its first attempt until its final status reached the caller. */
interface InFlightCall {
  /** In retry backoff: give up now and hand the caller the last failure. Returns whether it did. */
  endBackoff(): boolean;
  /** On the wire past the close timeout: cancel the current attempt. */
  cancel(): void;
}

/** The calls of one connection, and whether it is closing. */
class InFlightCalls {
  closing = false;
  private readonly calls = new Set<InFlightCall>();
  private idle: (() => void)[] = [];

  add(call: InFlightCall): void {
    this.calls.add(call);
  }

  delete(call: InFlightCall): void {
    this.calls.delete(call);
    if (this.calls.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves true when no call is left, false when `ms` passed first. */
  private settled(ms: number): Promise<boolean> {
    if (this.calls.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    for (const call of [...this.calls]) call.endBackoff();
    if (await this.settled(timeoutMs)) return;
    for (const call of [...this.calls]) call.cancel();
    // A cancelled attempt reports CANCELLED to its caller on the next turns of the event loop.
    await this.settled(1_000);
  }
}

/**
 * The SDK's retry behaviour (same decider and backoff), with every call registered in `calls`:
 * no retry once the connection is closing, and a retry that cannot start hands the caller its last
 * failure instead of throwing from the timer.
 */
function drainingRetryInterceptor(calls: InFlightCalls, retry: GrpcRetryOptions): Interceptor {
  return (options: InterceptorOptions, nextCall: NextCall) => {
    // Thrown here, it becomes the call's rejection (protobufjs turns a throwing rpcImpl into one).
    if (calls.closing) throw temporalClientClosedError();
    const firstAttempt = nextCall(options);
    let sentMessage: unknown;

    const requester: Requester = {
      start(metadata, listener, next) {
        let attempt = 1;
        let current = firstAttempt;
        let response: unknown;
        let hasResponse = false;
        let backoff: { timer: NodeJS.Timeout; status: StatusObject } | undefined;
        let done = false;

        const finish = (final: StatusObject) => {
          if (done) return;
          done = true;
          calls.delete(tracked);
          if (hasResponse) listener.onReceiveMessage(response);
          listener.onReceiveStatus(final);
        };
        const onReceiveMessage = (message: unknown) => {
          response = message;
          hasResponse = true;
        };
        const onReceiveStatus = (received: StatusObject) => {
          if (received.code !== status.OK && !calls.closing && retry.retryableDecider(attempt, received)) {
            backoff = {
              status: received,
              timer: setTimeout(() => startNextAttempt(received), retry.delayFunction(attempt, received)),
            };
          } else {
            finish(received);
          }
        };
        const startNextAttempt = (last: StatusObject) => {
          backoff = undefined;
          if (calls.closing) return finish(last);
          attempt++;
          hasResponse = false;
          try {
            current = nextCall(options);
            current.start(metadata, { onReceiveMetadata: () => undefined, onReceiveMessage, onReceiveStatus });
            current.sendMessage(sentMessage);
            current.halfClose();
          } catch {
            // The channel shut down under this call (closed without drain): report its last failure.
            finish(last);
          }
        };
        const tracked: InFlightCall = {
          endBackoff() {
            if (!backoff) return false;
            clearTimeout(backoff.timer);
            const last = backoff.status;
            backoff = undefined;
            finish(last);
            return true;
          },
          cancel() {
            if (!tracked.endBackoff()) current.cancelWithStatus(status.CANCELLED, CLOSED_MESSAGE);
          },
        };
        calls.add(tracked);
        // The first attempt's metadata goes up as usual; messages and status wait for the outcome.
        next(metadata, {
          onReceiveMessage: (message: unknown) => onReceiveMessage(message),
          onReceiveStatus: (received: StatusObject) => onReceiveStatus(received),
        });
      },
      sendMessage(message, next) {
        sentMessage = message;
        next(message);
      },
    };
    return new InterceptingCall(firstAttempt, requester);
  };
}

export interface DrainingConnectionOptions extends Omit<ConnectionOptions, 'interceptors'> {
  closeTimeoutMs?: number;
}

export class DrainingConnection extends Connection {
  private calls = new InFlightCalls();
  private closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS;
  private closed?: Promise<void>;

  /** Connects on first use: the API starts (and answers /readyz = 503) while Temporal comes up. */
  static lazyDraining({ closeTimeoutMs, ...options }: DrainingConnectionOptions): DrainingConnection {
    const calls = new InFlightCalls();
    const connection = this.lazy({
      ...options,
      interceptors: [drainingRetryInterceptor(calls, defaultGrpcRetryOptions())],
    }) as DrainingConnection;
    connection.calls = calls;
    connection.closeTimeoutMs = closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    return connection;
  }

  /** Connects now and checks the server answers, like Connection.connect. */
  static async connectDraining(options: DrainingConnectionOptions): Promise<DrainingConnection> {
    const connection = this.lazyDraining(options);
    await connection.ensureConnected();
    return connection;
  }

  /** Safe at any time and more than once: see the file comment for the order. */
  override close(): Promise<void> {
    this.closed ??= this.calls.drain(this.closeTimeoutMs).then(() => super.close());
    return this.closed;
  }
}
