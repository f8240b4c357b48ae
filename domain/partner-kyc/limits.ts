/**
 * The longest value a catalog pattern is ever run on (submitted fields and catalog examples). ID
 * numbers are short; the cap bounds the cost of any pattern, even one the guard misjudged.
 */
export const MAX_PATTERN_INPUT = 128;
