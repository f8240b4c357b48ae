import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Every change of a user record goes through adapters/models/user-writes.ts (`updateUser`), and of
// notification preferences through `updateLocked` (adapters/models/locked-update.ts): both hold the
// document's write lock, so a decision read before the write still holds when it lands (unpatched
// FerretDB 1.24 also let two unlocked updates of different fields erase each other; our build makes
// single-document writes atomic, infra/install-tools.js). This check fails on a direct update anywhere else.
const root = path.resolve(__dirname, '../..');
const DIRECT_UPDATE =
  /\b(User|NotificationPreference)\s*\.\s*(updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|replaceOne|findOneAndReplace|bulkWrite)\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const offenders = (files: { file: string; text: string }[]) =>
  files.filter(({ text }) => DIRECT_UPDATE.test(text)).map(({ file }) => file);

describe('one write path for user records', () => {
  it('no production code updates users outside updateUser', () => {
    const files = ['domain', 'adapters', 'activities', 'workflows', 'services', 'infra']
      .flatMap((d) => sourceFiles(path.join(root, d)))
      .filter((f) => !f.endsWith(path.join('adapters', 'models', 'user-writes.ts')))
      .map((file) => ({ file: path.relative(root, file), text: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(offenders(files)).toEqual([]);
  });

  it('would catch a direct update (the check can fail)', () => {
    const text = "await models.User.updateOne({ _id: id }, { $set: { status: 'active' } });";
    const prefs = 'await deps.models.NotificationPreference.findOneAndUpdate({ _id: id }, { $set: { sms: false } });';
    expect(
      offenders([
        { file: 'synthetic.ts', text },
        { file: 'prefs.ts', text: prefs },
        { file: 'fine.ts', text: 'await updateUser(models, id, {});' },
      ]),
    ).toEqual(['synthetic.ts', 'prefs.ts']);
  });
});
