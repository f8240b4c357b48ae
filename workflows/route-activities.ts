/**
 * An activity proxy whose named activities go to `local` (when given) for their first `calls[name]`
 * calls, and everything else to `remote`: lets a workflow move a few short steps to local
 * activities behind a `patched()` switch without touching their call sites. The count is part of
 * the workflow's deterministic state (calls happen in the same order on replay).
 */
export function routeActivities<T extends object>(remote: T, local: T | undefined, calls: Partial<Record<keyof T & string, number>>): T {
  if (!local) return remote;
  const used = new Map<string | symbol, number>();
  const limit = calls as Record<string | symbol, number | undefined>;
  return new Proxy(remote, {
    get: (target, name) => {
      const n = used.get(name) ?? 0;
      if (n >= (limit[name] ?? 0)) return target[name as keyof T];
      // Counted when called, not when read: reading a method without calling it uses nothing.
      const fn = local[name as keyof T] as unknown as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        used.set(name, (used.get(name) ?? 0) + 1);
        return fn(...args);
      };
    },
  });
}
