import { createHmac, randomUUID } from 'node:crypto';

// Smile ID Enhanced KYC (POST /v1/id_verification): the request shape, signature and result
// codes of https://docs.usesmileid.com/products/for-individuals-kyc/identity-lookup. The sandbox
// simulator speaks the same shape, so switching to Smile ID is SMILE_ID_BASE_URL + credentials.
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

export interface SmileIdCredentials {
  baseUrl: string;
  partnerId: string;
  apiKey: string;
}

/** base64(HMAC-SHA256(api_key, timestamp + partner_id + "sid_request")). */
export function smileSignature(apiKey: string, partnerId: string, timestamp: string): string {
  return createHmac('sha256', apiKey).update(timestamp + partnerId + 'sid_request').digest('base64');
}

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

export class SmileHttpError extends Error {
  constructor(readonly status: number) {
    super(`Smile ID answered HTTP ${status}`);
    this.name = 'SmileHttpError';
  }
}

export async function smileIdLookup(creds: SmileIdCredentials, req: SmileLookupRequest, fetchFn: typeof fetch = fetch): Promise<SmileLookupResponse> {
  const timestamp = new Date().toISOString();
  const body = {
    partner_id: creds.partnerId,
    source_sdk: 'rest_api',
    source_sdk_version: '1.0.0',
    timestamp,
    signature: smileSignature(creds.apiKey, creds.partnerId, timestamp),
    country: req.country ?? 'NG',
    id_type: req.idType,
    id_number: req.idNumber,
    first_name: req.firstName,
    last_name: req.lastName,
    ...(req.dob ? { dob: req.dob } : {}),
    partner_params: { job_id: req.jobId || randomUUID(), user_id: req.userId, job_type: 5 },
  };
  const res = await fetchFn(`${creds.baseUrl.replace(/\/$/, '')}/v1/id_verification`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) {
    await res.arrayBuffer();
    throw new SmileHttpError(res.status);
  }
  return (await res.json()) as SmileLookupResponse;
}
