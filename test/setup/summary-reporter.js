'use strict';
// Prints `tests: N passed, M failed` and writes it to .data/test-summary.json for .ci/run.
// A suite that fails to load counts as a failure, so a broken import can never look green.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const passed = results.numPassedTests;
    const dir = path.resolve(__dirname, '..', '..', '.data');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test-summary.json'), JSON.stringify({ passed, failed }) + '\n');
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
