// Veriff's wire shapes (https://devdocs.veriff.com): what we send to create a session, what it
// answers, and the two webhooks it posts to us. The API client, the webhook parser and the sandbox
// simulator all use these, so the simulator cannot drift from what the service expects.

/** Headers of requests and webhooks alike: the API key, and the HMAC over the body. */
export const VERIFF_HEADERS = { client: 'X-AUTH-CLIENT', signature: 'X-HMAC-SIGNATURE' } as const;
/** The same, as Node presents incoming headers (lower case): what a webhook route reads. */
export const VERIFF_WEBHOOK_HEADERS = { client: 'x-auth-client', signature: 'x-hmac-signature' } as const;

export const VERIFF_PATHS = { sessions: '/v1/sessions' } as const;

/** `POST /v1/sessions` body: vendorData (our user id) is how webhooks find their user. */
export interface VeriffSessionRequest {
  verification: { vendorData: string; endUserId: string; person?: { firstName: string; lastName: string } };
}

export interface VeriffSessionResponse {
  status: string;
  verification: { id: string; url: string; vendorData?: string; status?: string; host?: string; sessionToken?: string };
}

/** Event webhook (the user's progress): 7001 started, 7002 submitted. */
export const VERIFF_EVENT_CODES = { started: 7001, submitted: 7002 } as const;
export type VeriffEventAction = keyof typeof VERIFF_EVENT_CODES;

/** Decision webhook statuses and codes (https://devdocs.veriff.com/docs/verification-session-status-codes-table). */
export const VERIFF_DECISION_CODES = {
  approved: 9001,
  declined: 9102,
  resubmission_requested: 9103,
  expired: 9104,
  abandoned: 9104,
  review: 9121,
} as const;
export type VeriffDecisionStatus = keyof typeof VERIFF_DECISION_CODES;

export interface VeriffEventWebhook {
  id: string;
  attemptId: string;
  feature: string;
  code: number;
  action: VeriffEventAction;
  vendorData: string;
  endUserId: string | null;
}

export interface VeriffDecisionWebhook {
  status: 'success';
  verification: {
    id: string;
    attemptId: string;
    code: number;
    status: VeriffDecisionStatus;
    vendorData: string;
    endUserId: string | null;
    reason: string | null;
    reasonCode: number | null;
    decisionTime: string;
    acceptanceTime: string;
  };
  technicalData?: { ip: string | null };
}
