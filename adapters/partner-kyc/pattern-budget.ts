import vm from 'node:vm';

import type { PatternTester } from '../../domain/partner-kyc/fields';

/**
 * Catalog patterns run under a time budget (defence in depth: the guard in
 * domain/partner-kyc/regex-safety.ts already refuses super-linear patterns, and values are capped
 * at 128 characters). V8 checks a script's `timeout` while a regexp runs, so a runaway match is
 * interrupted (test/unit/partner-kyc-domain.test.ts shows it on a polynomial pattern). One context
 * is made once and re-used; the call is synchronous, so the two globals are never shared.
 * Measured cost ~0.2 ms per call (a watchdog per run); a submission runs one or two patterns.
 */
export function budgetedPatternTester(budgetMs: number): PatternTester {
  const context = vm.createContext(Object.create(null) as object);
  const script = new vm.Script('re.test(value)', { filename: 'catalog-pattern' });
  const globals = context as { re?: RegExp; value?: string };
  return (re, value) => {
    globals.re = re;
    globals.value = value;
    try {
      return script.runInContext(context, { timeout: budgetMs }) === true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
      throw err;
    } finally {
      globals.re = undefined;
      globals.value = undefined;
    }
  };
}
