import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Router } from 'express';

/**
 * Where the dashboard's page, script and stylesheet live: next to this file, in the sources (tsx)
 * and in `dist/` alike (`npm run build` copies them, infra/copy-assets.ts).
 */
export const DASHBOARD_ASSETS_DIR = path.join(__dirname, 'assets');

/**
 * `/admin/analytics`: the dashboard page and its two assets (plain files, no CDN, no build step,
 * works offline); data comes from the API with the user's token. The files are read once, when
 * the router is built, so a missing asset stops the API at start rather than at the first visit.
 */
export function analyticsDashboardRouter(dir: string = DASHBOARD_ASSETS_DIR): Router {
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const html = read('dashboard.html');
  const js = read('dashboard.js');
  const css = read('dashboard.css');
  const router = Router();
  // Scripts only from this origin: the page's script is a separate file, never inline.
  const csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
  router.get('/admin/analytics', (_req, res) => {
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').send(html);
  });
  router.get('/admin/analytics/app.js', (_req, res) => {
    res.type('application/javascript').send(js);
  });
  router.get('/admin/analytics/app.css', (_req, res) => {
    res.type('text/css').send(css);
  });
  return router;
}
