/**
 * An activity proxy whose `names` go to `local` (when given) and everything else to `remote`: lets
 * a workflow move a few short steps to local activities behind a `patched()` switch without
 * touching their call sites.
 */
export function routeActivities<T extends object>(remote: T, local: T | undefined, names: readonly (keyof T & string)[]): T {
  if (!local) return remote;
  const routed = new Set<string | symbol>(names);
  return new Proxy(remote, { get: (target, name) => (routed.has(name) ? local : target)[name as keyof T] });
}
