import path from 'node:path';

import type { Router } from 'express';

import { adminPageRouter } from '../admin-page/admin-page';

/**
 * Where the page's own files live (its `<main>`, script and stylesheet): next to this file, in the
 * sources (tsx) and in `dist/` alike (`npm run build` copies them, infra/copy-assets.ts).
 */
export const CASES_PAGE_DIR = path.join(__dirname, 'page');

/**
 * `/admin/cases`: the backoffice page (the shared shell, stylesheet and sign-in, admin-page.ts)
 * with its own files; data and actions go through the /cases API with the user's token.
 */
export function casesPageRouter(dir: string = CASES_PAGE_DIR): Router {
  return adminPageRouter({
    base: '/admin/cases',
    title: 'Cases',
    dir,
    main: 'main.html',
    js: { url: 'cases.js', file: 'cases.js' },
    css: { url: 'cases.css', file: 'cases.css' },
  });
}
