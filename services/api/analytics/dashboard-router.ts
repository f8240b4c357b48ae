import { Router } from 'express';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './dashboard-assets';

/** `/admin/analytics`: the dashboard page and its two assets; data comes from the API with the user's token. */
export function analyticsDashboardRouter(): Router {
  const router = Router();
  // Scripts only from this origin: the page's script is a separate file, never inline.
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
  router.get('/admin/analytics', (_req, res) => {
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').send(DASHBOARD_HTML);
  });
  router.get('/admin/analytics/app.js', (_req, res) => {
    res.type('application/javascript').send(DASHBOARD_JS);
  });
  router.get('/admin/analytics/app.css', (_req, res) => {
    res.type('text/css').send(DASHBOARD_CSS);
  });
  return router;
}
