import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The environment the ops CLI runs with, completed the way `npm start` completes its own
 * (infra/dev-stack/main.ts): `.env` at the project root, then — outside production only — any
 * variable still missing from `.data/dev-secrets.json`, which `npm start` generated. Variables
 * already set always win, so production (and anyone exporting values) is unaffected. The file is
 * only read, never created: secrets the running stack does not know would be useless here.
 * `KYC_DATA_DIR` points at another data directory (tests; a second checkout).
 */
export function localEnv(
  env: NodeJS.ProcessEnv = process.env,
  root = ROOT,
): { env: NodeJS.ProcessEnv; secretsFile: string | null } {
  const out: NodeJS.ProcessEnv = { ...env };
  const dotenv = path.join(root, '.env');
  if (fs.existsSync(dotenv)) {
    for (const [k, v] of Object.entries(parseDotenv(fs.readFileSync(dotenv, 'utf8')))) if (!out[k]) out[k] = v;
  }
  out.NODE_ENV ??= 'development';
  if (out.NODE_ENV === 'production') return { env: out, secretsFile: null };
  const file = path.join(out.KYC_DATA_DIR || path.join(root, '.data'), 'dev-secrets.json');
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { env: out, secretsFile: null };
  }
  for (const [k, v] of Object.entries(stored)) if (!out[k] && typeof v === 'string') out[k] = v;
  return { env: out, secretsFile: file };
}

/** KEY=value lines; `#` comments (whole-line or after whitespace), optional quotes. */
function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? quoted[2] : value.replace(/\s+#.*$/, '').trim();
    if (value !== '') out[m[1]] = value;
  }
  return out;
}
