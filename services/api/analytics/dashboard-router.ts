import path from 'node:path';

import type { Router } from 'express';

import { adminPageRouter } from '../admin-page/admin-page';

/**
 * Where the dashboard's own files live (its `<main>`, script and stylesheet): next to this file, in
 * the sources (tsx) and in `dist/` alike (`npm run build` copies them, infra/copy-assets.ts).
 */
export const DASHBOARD_ASSETS_DIR = path.join(__dirname, 'assets');

/**
 * `/admin/analytics`: the dashboard page (the shared shell, stylesheet and sign-in, admin-page.ts)
 * with its own files; data comes from the analytics API with the user's token.
 */
export function analyticsDashboardRouter(dir: string = DASHBOARD_ASSETS_DIR): Router {
  return adminPageRouter({
    base: '/admin/analytics',
    title: 'Onboarding analytics',
    dir,
    main: 'dashboard-main.html',
    js: { url: 'app.js', file: 'dashboard.js' },
    css: { url: 'app.css', file: 'dashboard.css' },
  });
}
