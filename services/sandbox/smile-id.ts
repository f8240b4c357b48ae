import { timingSafeEqual } from 'node:crypto';

import express, { Router } from 'express';

import type { Config } from '../../adapters/config';
import { smileSignature } from '../../adapters/providers/smile-id/signature';
import { SMILE_PATHS, SMILE_RESULT_CODES, type SmileLookupBody } from '../../adapters/providers/smile-id/wire';

/**
 * Smile ID Enhanced KYC simulator (POST /v1/id_verification), with test numbers per outcome.
 * The "registry" answers with the name/DOB the caller sent (upper-cased, DOB as YYYY-MM-DD),
 * altered as the number asks, so the service's own matching rules decide match/partial/no match:
 *
 *   22200000001  valid, full match            (1012, same person)
 *   22200000002  valid, partial match         (1012, last name differs)
 *   22200000003  valid, no match              (1012, a different person)
 *   22200000004  not found                    (1013)
 *   22200000005  unsupported ID format        (1014)
 *   22200000009  authority unavailable always (1015)
 *   2221500000N  authority unavailable the first N calls for that number, then a full match
 *   anything else: valid, full match (so any 11 digits work when trying the stack by hand)
 *
 * Other id types (partner KYC: NIN_SLIP, VOTER_ID, DRIVERS_LICENSE, GHANA_CARD, SSNIT,
 * NATIONAL_ID, KRA_PIN …) are checked against their national format (ID_FORMATS), and the same
 * outcomes are chosen by the number's last digit when the digits before it are all zeros
 * ("…0000002" partial, "…0000003" no match, "…0000004" not found, "…0000009" unavailable),
 * e.g. ABC000000002 (a driver's licence with a partial match).
 *
 * Bad partner id or signature: HTTP 401 `{ code: "2205", error: ... }` as Smile does.
 */
/** National formats per Smile ID id type (an unknown type gets the 11-digit NG format). */
const ID_FORMATS: Record<string, RegExp> = {
  BVN: /^[0-9]{11}$/,
  NIN_V2: /^[0-9]{11}$/,
  NIN_SLIP: /^[0-9]{11}$/,
  V_NIN: /^[A-Z0-9]{16}$/i,
  VOTER_ID: /^[A-Z0-9 ]{9,29}$/i,
  DRIVERS_LICENSE: /^[A-Z]{3}[ -]?[A-Z0-9]{6,12}$/i,
  GHANA_CARD: /^GHA-[0-9]{9}-[0-9]$/i,
  SSNIT: /^[A-Z][0-9]{12}$/,
  NATIONAL_ID: /^[0-9]{7,8}$|^[0-9]{13}$/,
  KRA_PIN: /^[AP][0-9]{9}[A-Z]$/i,
};

export function smileIdSimulator(config: Pick<Config, 'SMILE_ID_API_KEY' | 'SMILE_ID_PARTNER_ID'>): Router {
  const router = Router();
  const calls = new Map<string, number>();

  router.post(SMILE_PATHS.idVerification, express.json({ limit: '64kb' }), (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: keyof SmileLookupBody) => (typeof b[k] === 'string' ? (b[k] as string) : '');
    const expected = Buffer.from(smileSignature(config.SMILE_ID_API_KEY, config.SMILE_ID_PARTNER_ID, str('timestamp')));
    const given = Buffer.from(str('signature'));
    if (
      str('partner_id') !== config.SMILE_ID_PARTNER_ID ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      res.status(401).json({ code: '2205', error: 'You are not authorized to do that.' });
      return;
    }
    const idNumber = str('id_number');
    const idType = str('id_type');
    const base = {
      SmileJobID: `00000${Math.floor(Math.random() * 1e5)}`,
      PartnerParams: b.partner_params ?? {},
      ResultType: 'ID Verification',
      Country: str('country') || 'NG',
      IDType: idType,
      IDNumber: idNumber,
      IsFinalResult: 'true',
      timestamp: new Date().toISOString(),
    };
    const reply = (code: string, text: string, verify: string, extra: Record<string, string> = {}) =>
      res.json({
        ...base,
        ResultCode: code,
        ResultText: text,
        Actions: { Verify_ID_Number: verify, Return_Personal_Info: extra.FullName ? 'Returned' : 'Not Returned' },
        ...extra,
      });

    const format = ID_FORMATS[idType] ?? /^[0-9]{11}$/;
    if (!format.test(idNumber))
      return reply(SMILE_RESULT_CODES.unsupportedFormat, 'ID Number Format Not Supported', 'Not Done');
    const n = (calls.get(idNumber) ?? 0) + 1;
    calls.set(idNumber, n);
    const flaky = idNumber.match(/^2221500000(\d)$/);
    if (idNumber === '22200000009' || (flaky && n <= Number(flaky[1]))) {
      return reply(SMILE_RESULT_CODES.authorityUnavailable, 'ID Authority Unavailable', 'Issuer Unavailable');
    }
    // BVN and NIN_V2 keep their historical test numbers (verification requests rely on them).
    const outcome = ['BVN', 'NIN_V2'].includes(idType)
      ? undefined
      : /0{6}([0-9])$/.exec(idNumber.replace(/[^A-Za-z0-9]/g, ''))?.[1];
    {
      if (outcome === '9')
        return reply(SMILE_RESULT_CODES.authorityUnavailable, 'ID Authority Unavailable', 'Issuer Unavailable');
      if (outcome === '4') return reply(SMILE_RESULT_CODES.notFound, 'ID Number Not Found', 'Not Verified');
    }
    if (idNumber === '22200000004') return reply(SMILE_RESULT_CODES.notFound, 'ID Number Not Found', 'Not Verified');
    if (idNumber === '22200000005')
      return reply(SMILE_RESULT_CODES.unsupportedFormat, 'ID Number Format Not Supported', 'Not Done');

    let first = str('first_name').toUpperCase();
    let last = str('last_name').toUpperCase();
    let dob = str('dob');
    if (idNumber === '22200000002' || outcome === '2') last = `${last}X`;
    if (idNumber === '22200000003' || outcome === '3') [first, last, dob] = ['CHIOMA', 'EZE', '1970-01-01'];
    return reply(SMILE_RESULT_CODES.validated, 'ID Number Validated', 'Verified', {
      FullName: `${first} ${last}`.trim(),
      FirstName: first,
      LastName: last,
      DOB: dob || '1990-01-01',
      PhoneNumber: '',
      Gender: '',
      Photo: 'Not Available',
      ExpirationDate: 'Not Available',
      Source: 'sandbox',
      Address: '',
    });
  });
  return router;
}
