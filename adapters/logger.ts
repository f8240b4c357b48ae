import pino, { type Logger } from 'pino';

export type { Logger };

// Anything that could carry a secret or PII is censored wherever it appears in a log object.
// Keys are matched at any of the first levels we log (req.body, details, err.data …).
const SENSITIVE_KEYS = [
  'password',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'code',
  'bvn',
  'nin',
  'idNumber',
  'id_number',
  // Partner KYC submissions: names, dates of birth and images.
  'userFields',
  'dob',
  'dateOfBirth',
  'images',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'x-client-id',
  'x-hmac-signature',
  'x-webhook-signature',
];
const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers["${k}"]`]);

export function createLogger(opts: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level,
      base: { service: opts.name },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}
