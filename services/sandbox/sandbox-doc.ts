import fs from 'node:fs';
import path from 'node:path';

// docs/sandbox.md is the one description of the sandbox; the sandbox serves it at GET /docs so it
// is found from the page. Read once at start-up; a missing file (a trimmed image) says where to look.
const file = path.resolve(__dirname, '..', '..', 'docs', 'sandbox.md');
export const SANDBOX_DOC = fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8')
  : '# Provider sandbox\n\nSee docs/sandbox.md in the repository.\n';
