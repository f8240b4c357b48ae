// Smile ID's wire shapes: Enhanced KYC (POST /v1/id_verification,
// https://docs.usesmileid.com/products/for-individuals-kyc/identity-lookup) and v3 document
// verification (multipart job, GET /v3/status/{job_id}, https://docs.usesmileid.com/api-reference).
// The sandbox simulator speaks the same shapes, so switching to Smile ID is SMILE_ID_BASE_URL + credentials.

export const SMILE_PATHS = {
  idVerification: '/v1/id_verification',
  documentVerification: '/v3/document-verification',
  status: '/v3/status',
} as const;

/** The request-signature headers of the v3 API. */
export const SMILE_HEADERS = {
  partnerId: 'SmileID-Partner-ID',
  signature: 'SmileID-Request-Signature',
  timestamp: 'SmileID-Timestamp',
} as const;

/** Enhanced KYC result codes (https://docs.usesmileid.com/further-reading/result-codes). */
export const SMILE_RESULT_CODES = {
  validated: '1012',
  notFound: '1013',
  unsupportedFormat: '1014',
  authorityUnavailable: '1015',
  exactMatch: '1020',
  partialMatch: '1021',
  noMatch: '1022',
} as const;

export const SMILE_ID_TYPES = { bvn: 'BVN', nin: 'NIN_V2' } as const;

/**
 * Every Enhanced KYC id type the service sends, per country (the partner catalogs' basic documents
 * use these as their `value`). https://docs.usesmileid.com/supported-id-types
 */
export const SMILE_LOOKUP_ID_TYPES: Record<string, readonly string[]> = {
  NG: ['BVN', 'NIN_V2', 'NIN_SLIP', 'V_NIN', 'VOTER_ID', 'DRIVERS_LICENSE'],
  GH: ['GHANA_CARD', 'SSNIT', 'VOTER_ID', 'DRIVERS_LICENSE'],
  KE: ['NATIONAL_ID', 'KRA_PIN', 'ALIEN_CARD'],
  ZA: ['NATIONAL_ID', 'NATIONAL_ID_NO_PHOTO'],
};

/** What a lookup needs (the client turns it into Smile's snake_case body). */
export interface SmileLookupRequest {
  idType: string;
  /** ISO 3166-1 alpha-2; NG unless given. */
  country?: string;
  idNumber: string;
  firstName: string;
  lastName: string;
  dob: string | null;
  jobId: string;
  userId: string;
}

/** `POST /v1/id_verification` body as Smile ID reads it. */
export interface SmileLookupBody {
  partner_id: string;
  source_sdk: 'rest_api';
  source_sdk_version: string;
  timestamp: string;
  signature: string;
  country: string;
  id_type: string;
  id_number: string;
  first_name: string;
  last_name: string;
  dob?: string;
  partner_params: { job_id: string; user_id: string; job_type: 5 };
}

export interface SmileLookupResponse {
  SmileJobID?: string;
  ResultCode: string;
  ResultText?: string;
  Actions?: Record<string, string>;
  FullName?: string;
  FirstName?: string;
  LastName?: string;
  MiddleName?: string;
  DOB?: string;
}

/** Document verification result codes. */
export const SMILE_DOCUMENT_RESULT_CODES = { verified: '0810', notVerified: '0811', underReview: '0812' } as const;

/** Smile's image_type_id → the v3 multipart part name. */
export const IMAGE_PARTS: Record<number, string> = {
  2: 'selfie_image',
  3: 'document_front_image',
  6: 'liveness_images',
  7: 'document_back_image',
};

export interface DocumentJobRequest {
  jobId: string;
  userId: string;
  country: string;
  documentType: string;
  images: { image_type_id: number; image: string }[];
}

/** `GET /v3/status/{job_id}`: signed like Smile's callbacks (`signature` over `timestamp`). */
export interface DocumentJobStatus {
  job_id: string;
  job_complete: boolean;
  job_success: boolean;
  result?: { ResultCode: string; ResultText: string };
  signature: string;
  timestamp: string;
}
