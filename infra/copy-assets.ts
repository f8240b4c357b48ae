import fs from 'node:fs';
import path from 'node:path';

// `npm run build` step: tsc emits only JavaScript, so the files a service serves as they are (the
// analytics dashboard's page, script and stylesheet, services/api/analytics/assets/) are copied
// into dist/ at the same relative place, where the compiled router looks for them (next to itself).
const root = path.resolve(__dirname, '..');
const ASSET_DIRS = ['services/api/analytics/assets'];

for (const rel of ASSET_DIRS) {
  const target = path.join(root, 'dist', rel);
  fs.mkdirSync(target, { recursive: true });
  for (const name of fs.readdirSync(path.join(root, rel)))
    fs.copyFileSync(path.join(root, rel, name), path.join(target, name));
  process.stdout.write(`copied ${rel} → dist/${rel}\n`);
}
