import net from 'node:net';

import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

import { DrainingConnection } from '../../adapters/temporal/draining-connection';
import { createTemporalClient } from '../../adapters/temporal-client';
import { testConfig } from '../helpers/config';

/**
 * Closing the Temporal client while a call sits in the gRPC retry backoff used to throw
 * "Channel has been shut down" from the retry timer, outside any promise, killing the process
 * (CI: a test file crashed). The client built by adapters/temporal-client.ts must instead end
 * that call with its own rejection, refuse calls made after close began, and let calls already
 * on the wire finish before the channel shuts.
 */

/** A port nothing listens on: every call fails UNAVAILABLE at once and goes into retry backoff. */
async function deadAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

function clientFor(address: string): Client {
  return createTemporalClient(testConfig({ TEMPORAL_ADDRESS: address }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's outcome, or 'still pending' after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | Error | 'still pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still pending'>((resolve) => (timer = setTimeout(() => resolve('still pending'), ms)));
  try {
    return await Promise.race([promise.catch((err: Error) => err), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('closing the Temporal client', () => {
  // Jest also fails the running test on an uncaught exception; this names it in the assertion.
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  beforeEach(() => {
    uncaught.length = 0;
    process.on('uncaughtException', onUncaught);
  });
  afterEach(() => {
    process.off('uncaughtException', onUncaught);
  });

  it('rejects a call that is in retry backoff instead of throwing from the retry timer', async () => {
    const client = clientFor(await deadAddress());
    const call = client.workflowService.getSystemInfo({});
    // Bounded: before the fix this call's promise never settled.
    const outcome = within(call, 5_000);
    // The first attempt fails within milliseconds; the retry timer is then pending.
    await sleep(50);
    await client.connection.close();
    // Past every backoff delay the default retry policy would have used for the next attempts.
    await sleep(1_500);

    expect(uncaught).toEqual([]);
    const result = await outcome;
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { code?: number }).code).toBe(14); // UNAVAILABLE, its own last failure
  });

  it('refuses calls made once close has begun, with an error that says so', async () => {
    const client = clientFor(await deadAddress());
    await client.connection.close();
    await expect(client.workflowService.getSystemInfo({})).rejects.toThrow(/Temporal client is closed/);
    await sleep(300);
    expect(uncaught).toEqual([]);
  });

  it('lets a call already on the wire finish before the channel shuts', async () => {
    const client = clientFor(process.env.TEST_TEMPORAL_ADDRESS!);
    await client.connection.ensureConnected();
    const call = client.workflowService.getSystemInfo({});
    await client.connection.close();
    // Bounded: closing the bare SDK connection under it left this call pending forever.
    const outcome = await within(call, 5_000);
    expect(outcome).toHaveProperty('serverVersion');
    expect(uncaught).toEqual([]);
  });

  it('cancels a call still on the wire after the close timeout, and closes', async () => {
    const connection = await DrainingConnection.connectDraining({
      address: process.env.TEST_TEMPORAL_ADDRESS!,
      closeTimeoutMs: 300,
    });
    const client = new Client({ connection });
    // A run nobody works on: a long poll for its close event waits on the server.
    const handle = await client.workflow.start('nobodyPollsThis', {
      taskQueue: `close-test-${Date.now()}`,
      workflowId: `close-test-${Date.now()}`,
    });
    const poll = client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
      waitNewEvent: true,
      historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    });
    const started = Date.now();
    await connection.close();
    const elapsed = Date.now() - started;
    const outcome = await within(poll, 5_000);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error & { code?: number }).code).toBe(1); // CANCELLED
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    expect(uncaught).toEqual([]);
    await handle.terminate().catch(() => undefined);
  });

  it('closes at once when nothing is in flight, and a second close is harmless', async () => {
    const client = clientFor(await deadAddress());
    const started = Date.now();
    await client.connection.close();
    await client.connection.close();
    expect(Date.now() - started).toBeLessThan(500);
  });
});
