import { execSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Debian's chromium for browser tests (driven by playwright-core). A fresh machine does not have
 * it: install it with apt-get, and fail with a message saying so if that is not possible.
 */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  try {
    execSync('(apt-get install -y -qq chromium || (apt-get update -qq && apt-get install -y -qq chromium))', {
      stdio: 'ignore',
      timeout: 600_000,
    });
  } catch {
    // reported below
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing and "apt-get install -y chromium" did not install it: install Debian's chromium to run the browser tests`,
    );
  }
  return CHROMIUM_PATH;
}
