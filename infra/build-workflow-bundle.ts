import fs from 'node:fs';
import path from 'node:path';

import { bundleWorkflowCode } from '@temporalio/worker';

// `npm run build`: a prebuilt workflow bundle so production workers start without webpack.
// Workers load it when WORKFLOW_BUNDLE_PATH points at the output file. An argument names another
// output file (infra/workflow-bundle.ts builds its cached bundles through this script).
async function main() {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  process.stdout.write(
    `workflow bundle written to ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
