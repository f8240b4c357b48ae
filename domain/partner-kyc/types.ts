// Partner KYC vocabulary (seed 003): tiers, document catalogs and their field specs.
export const KYC_TIERS = ['none', 'basic', 'advanced'] as const;
export type KycTier = (typeof KYC_TIERS)[number];
export const tierRank = (t: KycTier) => KYC_TIERS.indexOf(t);
export const higherTier = (a: KycTier, b: KycTier): KycTier => (tierRank(a) >= tierRank(b) ? a : b);

export const FIELD_TYPES = ['string', 'date', 'email', 'smile-identity-images'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldSpec {
  type: FieldType;
  label: string;
  required: boolean;
  format?: string;
  regexp?: string;
  regexpFlags?: string;
  /** Catalog-only: checked at load time, never sent to partners. */
  examples?: { valid: string[]; invalid: string[] };
}

export type DocumentType = 'basic' | 'advanced';

export interface CatalogDocument {
  _id: string;
  type: DocumentType;
  title: string;
  /** Provider id type (Smile ID `id_type` for basic documents, `document_type` for advanced). */
  value: string;
  requiredFields: Record<string, FieldSpec>;
}

export const DIRECTIONS = ['onramp', 'offramp'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface KycRule {
  min: number;
  /** `Infinity` in memory; the string "Infinity" on the wire and in catalog files (JSON has no Infinity). */
  max: number;
  type: KycTier;
}
export type KycRules = Record<Direction, KycRule[]>;

export interface Catalog {
  country: string;
  version: number;
  /** Whether a partial identity match (names or date of birth off) still passes a basic document. */
  acceptPartialMatch: boolean;
  documents: CatalogDocument[];
  kycRules: KycRules;
}
