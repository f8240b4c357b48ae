import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from '../../adapters/config';
import { connectDatabase } from '../../adapters/database';
import { createModels, ensureIndexes } from '../../adapters/models';
import { COMMANDS } from './commands';
import { localEnv } from './local-env';

/** `npm run ops -- <command> [--flags]`: operator tasks against the configured database. */
async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const list = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(24)} ${c.usage}`);
    process.stderr.write(`usage: npm run ops -- <command> [options]\n\ncommands:\n${list.join('\n')}\n`);
    process.exit(name ? 2 : 0);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    strict: true,
    allowPositionals: command.positionals ?? false,
  });
  const { env, secretsFile } = localEnv();
  let config;
  try {
    config = loadConfig(env, 'ops');
  } catch (err) {
    // The usual cause locally: the stack never started, so there are no generated secrets yet.
    if (err instanceof ConfigError && !secretsFile && env.NODE_ENV !== 'production') {
      throw new Error(
        `${err.message}\nStart the local stack once with \`npm start\` (it writes .data/dev-secrets.json), or set these variables.`,
        { cause: err },
      );
    }
    throw err;
  }
  const db = await connectDatabase(config.MONGODB_URI);
  try {
    const models = createModels(db);
    await ensureIndexes(models);
    const output = await command.run({
      config,
      models,
      args: values as Record<string, string | boolean | undefined>,
      positionals,
    });
    process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`ops: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
