import { ApplicationFailure } from '@temporalio/common';

/**
 * One entry of a failure catalog. `D` is the shape of the structured details the failure carries
 * (`void` for none); it exists only in the type system, so throw sites and readers agree on it.
 */
export interface FailureKind<D = void> {
  nonRetryable: boolean;
  /** Phantom (never set at runtime): carries `D` into the catalog's types. */
  readonly __details?: (details: D) => void;
}

export const failure = <D = void>(nonRetryable = true): FailureKind<D> => ({ nonRetryable });

type DetailsOf<K> = K extends { __details?: (details: infer D) => void } ? D : never;
type DetailArgs<K> = [DetailsOf<K>] extends [void] ? [] : [details: DetailsOf<K>];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own details type; any admits them all
export interface FailureCatalog<T extends Record<string, FailureKind<any>>> {
  /** The type names, as constants: `catalog.type.NOT_FOUND === 'NOT_FOUND'`. */
  readonly type: { readonly [K in keyof T]: K };
  readonly kinds: T;
  /** Builds the ApplicationFailure to throw; its retryability comes from the catalog, not the call site. */
  create<K extends keyof T & string>(type: K, message: string, ...details: DetailArgs<T[K]>): ApplicationFailure;
  /** The types of this catalog that must never be retried. */
  readonly nonRetryable: (keyof T & string)[];
  /** Whether `f` is this catalog's failure `type`; narrows its details for the reader. */
  is<K extends keyof T & string>(f: unknown, type: K): f is ApplicationFailure & { details: [DetailsOf<T[K]>] };
}

/** A named set of failure types with typed constructors (see domain/failures/catalog.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export function defineFailures<const T extends Record<string, FailureKind<any>>>(kinds: T): FailureCatalog<T> {
  const names = Object.keys(kinds) as (keyof T & string)[];
  return {
    type: Object.fromEntries(names.map((n) => [n, n])) as { [K in keyof T]: K },
    kinds,
    create(type, message, ...details) {
      return ApplicationFailure.create({
        type,
        message,
        nonRetryable: kinds[type].nonRetryable,
        details: details.length ? details : undefined,
      });
    },
    nonRetryable: names.filter((n) => kinds[n].nonRetryable),
    is(f: unknown, type: string): f is never {
      return f instanceof ApplicationFailure && f.type === type;
    },
  } as FailureCatalog<T>;
}
