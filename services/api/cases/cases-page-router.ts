import fs from 'node:fs';
import path from 'node:path';

import { Router } from 'express';

/** The page's three static files (services/api/cases/page/), read once when the router is built. */
function readPage() {
  const dir = path.join(__dirname, 'page');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return { html: read('index.html'), js: read('cases.js'), css: read('cases.css') };
}

/** `/admin/cases`: the backoffice page and its assets; data and actions go through the /cases API with the user's token. */
export function casesPageRouter(): Router {
  const page = readPage();
  const router = Router();
  // Scripts only from this origin: the page's script is its own file, never inline.
  const csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
  router.get('/admin/cases', (_req, res) => {
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').send(page.html);
  });
  router.get('/admin/cases/cases.js', (_req, res) => {
    res.type('application/javascript').send(page.js);
  });
  router.get('/admin/cases/cases.css', (_req, res) => {
    res.type('text/css').send(page.css);
  });
  return router;
}
