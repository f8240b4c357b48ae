// A default-options worker for the bare one-activity workflow and the bare one-local-activity
// registration workflow (bare-workflow.ts), on the bench's Temporal server.
import { NativeConnection, Worker } from '@temporalio/worker';

export const BARE_TASK_QUEUE = 'bare-bench';

async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { bareActivity: async (n: number) => n, bareLocalActivity: async (n: number) => n },
  });
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`bare worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
