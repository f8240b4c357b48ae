/**
 * True only when A and B are the same type (not merely assignable either way): optional versus
 * required keys, `string` versus a union of literals and extra keys all make it false. Used as
 * `const check: SameType<z.infer<typeof schema>, ContractType> = true;` where a route's zod schema
 * must describe exactly what a workflow contract returns, so the two declarations cannot drift.
 */
export type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
