import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Router } from 'express';

/**
 * The files every backoffice page shares (the base stylesheet, the sign-in script): next to this
 * file, in the sources (tsx) and in `dist/` alike (`npm run build` copies them, infra/copy-assets.ts).
 */
export const SHARED_ASSETS_DIR = path.join(__dirname, 'assets');

/** Scripts only from this origin: each page's scripts are files of their own, never inline. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * The html every backoffice page has: the header with who is signed in, the sign-in form, the
 * page's own `<main id="app">` (hidden until signed in), the shared stylesheet then the page's,
 * the shared sign-in script then the page's. `base` is the page's path; its assets are under it.
 */
export function adminPageHtml(page: { base: string; title: string; main: string; css: string; js: string }): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${page.title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${page.base}/admin.css" />
    <link rel="stylesheet" href="${page.base}/${page.css}" />
  </head>
  <body>
    <header>
      <h1>${page.title}</h1>
      <span id="who"></span><button id="logout" hidden>Sign out</button>
    </header>
    <form id="login" hidden>
      <h2>Sign in</h2>
      <label>Email <input name="email" type="email" autocomplete="username" required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Sign in</button>
      <p id="login-error" class="error"></p>
    </form>
    <main id="app" hidden>
${page.main.trimEnd()}
    </main>
    <script src="${page.base}/sign-in.js"></script>
    <script src="${page.base}/${page.js}"></script>
  </body>
</html>
`;
}

/** One of a page's files: the name it is served under (below the page's path) and the file it is. */
export interface PageAsset {
  url: string;
  file: string;
}

/**
 * A backoffice page at `base` (plain files, no CDN, no build step, works offline): the shell around
 * the page's `<main>` fragment (`main`, a file in `dir`), its script and stylesheet, and the shared
 * two under the same path. Data comes from the API with the user's token. Every file is read once,
 * when the router is built, so a missing asset stops the API at start rather than at the first visit.
 */
export function adminPageRouter(page: {
  base: string;
  title: string;
  dir: string;
  main: string;
  js: PageAsset;
  css: PageAsset;
}): Router {
  const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');
  const html = adminPageHtml({
    base: page.base,
    title: page.title,
    main: read(page.dir, page.main),
    css: page.css.url,
    js: page.js.url,
  });
  const scripts = { 'sign-in.js': read(SHARED_ASSETS_DIR, 'sign-in.js'), [page.js.url]: read(page.dir, page.js.file) };
  const styles = { 'admin.css': read(SHARED_ASSETS_DIR, 'admin.css'), [page.css.url]: read(page.dir, page.css.file) };
  const router = Router();
  router.get(page.base, (_req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(html);
  });
  for (const [name, js] of Object.entries(scripts))
    router.get(`${page.base}/${name}`, (_req, res) => {
      res.type('application/javascript').send(js);
    });
  for (const [name, css] of Object.entries(styles))
    router.get(`${page.base}/${name}`, (_req, res) => {
      res.type('text/css').send(css);
    });
  return router;
}
