import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

import { SA } from '../../domain/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

// The CLI's --search-attribute flag names and the gRPC enum, per SDK type.
const CLI_TYPE: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.BOOL]: 'Bool',
};
const GRPC_TYPE: Partial<Record<SearchAttributeType, number>> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** `{ Name: 'Keyword' }` for `temporal server start-dev --search-attribute`. */
export function searchAttributeFlags(): Record<string, string> {
  return Object.fromEntries(Object.values(SA).map((k) => [k.name, CLI_TYPE[k.type]!]));
}

/**
 * Registers any missing custom search attribute (idempotent). Works on the dev server and a
 * self-hosted cluster; Temporal Cloud registers them with `tcld` instead (see README).
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.values(SA).filter((k) => !have.has(k.name));
  if (missing.length === 0) return [];
  await addSearchAttributes(connection, namespace, missing);
  return missing.map((k) => k.name);
}

/** Adds the given keys (default: all). The time-skipping test server can add but not list them. */
export async function addSearchAttributes(
  connection: Connection,
  namespace: string,
  keys = Object.values(SA),
): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((k) => [k.name, GRPC_TYPE[k.type]!])),
  });
}
