import fs from 'node:fs';
import path from 'node:path';

// `npm run build` step: tsc emits only JavaScript, so the files a service serves as they are (the
// backoffice pages' shared stylesheet and sign-in script, services/api/admin-page/assets/, and each
// page's own <main>, script and stylesheet: the analytics dashboard's, the cases page's) are copied
// into dist/ at the same relative place, where the compiled routers look for them (next to themselves).
const root = path.resolve(__dirname, '..');
const ASSET_DIRS = ['services/api/admin-page/assets', 'services/api/analytics/assets', 'services/api/cases/page'];

for (const rel of ASSET_DIRS) {
  const target = path.join(root, 'dist', rel);
  fs.mkdirSync(target, { recursive: true });
  for (const name of fs.readdirSync(path.join(root, rel)))
    fs.copyFileSync(path.join(root, rel, name), path.join(target, name));
  process.stdout.write(`copied ${rel} → dist/${rel}\n`);
}
