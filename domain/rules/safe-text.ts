/**
 * Characters that must never reach a message or a log line from user input: C0/C1 controls
 * (NUL, CR, LF, TAB, ESC …), DEL, Unicode line/paragraph separators, and the bidirectional
 * overrides, embeddings, isolates and marks that make text display differently from what it
 * is ("Trojan Source" style spoofing of names in emails).
 */
const UNSAFE_CLASS = '\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069';
const UNSAFE_GLOBAL = new RegExp(`[${UNSAFE_CLASS}]`, 'gu');

/** Matches a whole string free of unsafe characters (for schemas: the pattern lands in the spec). */
export const SAFE_TEXT = new RegExp(`^[^${UNSAFE_CLASS}]*$`, 'u');

export const hasUnsafeText = (s: string): boolean => !SAFE_TEXT.test(s);

/** For rendering values into plain text: each unsafe character becomes a space, runs collapse. */
export const stripUnsafeText = (s: string): string => s.replace(UNSAFE_GLOBAL, ' ').replace(/ {2,}/g, ' ');
