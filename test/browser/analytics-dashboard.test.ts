import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium } from 'playwright-core';

import { rebuildAnalytics } from '../../adapters/analytics/read-model';
import { insertDemoData } from '../../services/ops/demo-data';
import { ensureChromium } from '../helpers/chromium';
import { TEST_PASSWORD, userWithPassword } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

const ARTIFACT = path.join(__dirname, '../../.data/artifacts/analytics-dashboard.png');

describe('analytics dashboard in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  beforeAll(async () => {
    const executablePath = ensureChromium();
    stack = await startTestStack();
    await insertDemoData(stack.deps.models, {
      users: 400,
      requests: 80,
      transactions: 500,
      tenants: 2,
      days: 25,
      seed: 3,
    });
    await rebuildAnalytics(stack.deps.models);
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs in, draws all nine with the seeded numbers, no console errors, and writes a screenshot', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, {
      userType: 'internal-admin',
      role: 'admin',
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${stack.url}/admin/analytics`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]', { timeout: 60_000 });

    // The seeded numbers: totals the page shows equal the raw collection's counts.
    const users = await stack.deps.models.User.countDocuments();
    const active = await stack.deps.models.User.countDocuments({ status: 'active' });
    const geographyTotal = await page.$$eval('#geography .bar .v', (els) =>
      els.reduce((a, e) => a + Number(e.textContent!.replace(/,/g, '')), 0),
    );
    expect(geographyTotal).toBe(users);
    const tile = await page.textContent('#active-users .tile b');
    expect(Number(tile!.replace(/,/g, ''))).toBe(active);
    for (const id of [
      'growth',
      'kyc-funnel',
      'status-distribution',
      'role-distribution',
      'kyc-levels',
      'verification-requests',
      'transaction-averages',
    ]) {
      expect(await page.$$(`#${id} .body > *`)).not.toHaveLength(0);
      expect(await page.$$(`#${id} .error`)).toHaveLength(0);
    }
    expect(await page.$$('#growth svg path[data-series=registrations]')).toHaveLength(1);
    expect(await page.textContent('#kyc-funnel')).toMatch(/email_confirmed[\s\S]*%/);

    fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    await page.screenshot({ path: ARTIFACT, fullPage: true });
    expect(fs.statSync(ARTIFACT).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  }, 180_000);
});
