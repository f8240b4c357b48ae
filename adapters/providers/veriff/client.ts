import { postProviderJson } from '../provider-http';
import { veriffSignature } from './signature';
import { VERIFF_HEADERS, VERIFF_PATHS, type VeriffSessionRequest, type VeriffSessionResponse } from './wire';

export interface VeriffCredentials {
  baseUrl: string;
  apiKey: string;
  sharedSecret: string;
}

/** `POST /v1/sessions`, signed; answers the session id and the URL the user goes to. */
export async function createVeriffSession(
  creds: VeriffCredentials,
  input: { userId: string; person: { firstName: string; lastName: string } | null },
): Promise<{ sessionId: string; url: string }> {
  const request: VeriffSessionRequest = {
    verification: {
      vendorData: input.userId,
      endUserId: input.userId,
      ...(input.person ? { person: input.person } : {}),
    },
  };
  const body = JSON.stringify(request);
  const res = await postProviderJson<VeriffSessionResponse>(
    'veriff',
    `${creds.baseUrl.replace(/\/$/, '')}${VERIFF_PATHS.sessions}`,
    { [VERIFF_HEADERS.client]: creds.apiKey, [VERIFF_HEADERS.signature]: veriffSignature(creds.sharedSecret, body) },
    body,
  );
  return { sessionId: res.verification.id, url: res.verification.url };
}
