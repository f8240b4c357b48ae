import type { NotificationEvent } from '../../domain/contracts/notify.contract';
import { stripUnsafeText } from '../../domain/rules/safe-text';

/** What one event looks like on every channel, in one language. `{{name}}` marks a placeholder. */
export interface EventTemplate {
  /** Placeholders the caller must supply (besides `firstName`, which the sender fills in). */
  required: string[];
  /** Placeholders that may be omitted, with the text used instead. */
  optional?: Record<string, string>;
  /**
   * Placeholders the notifications worker fills in itself when it sends (send-time-data.ts): secrets
   * it mints inside the email send (a set-password link, a reset code) and what it reads then, so
   * the request (and the workflow history) carries ids only. Rendering a text that uses one without
   * a value is a TemplateError, never an empty gap. Requests recorded before may still carry them.
   */
  atSend?: string[];
  email: { subject: string; text: string; html: string };
  sms: string;
  push: { title: string; body: string };
}

export interface RenderedMessage {
  language: string;
  email: { subject: string; text: string; html: string };
  sms: string;
  push: { title: string; body: string };
}

export class TemplateError extends Error {}

const para = (...lines: string[]) => lines.map((l) => `<p>${l}</p>`).join('');

const EN: Record<NotificationEvent, EventTemplate> = {
  verification_code: {
    // The code is computed by the notifications worker inside the email send (send-time-data.ts),
    // so the request carries none; it only goes by email. Requests recorded before carry it.
    required: [],
    optional: { expiresInHours: '24' },
    atSend: ['code'],
    email: {
      subject: 'Your verification code',
      text: 'Hello {{firstName}},\n\nYour verification code is {{code}}. It expires in {{expiresInHours}} hours; do not share it with anyone.',
      html: para(
        'Hello {{firstName}},',
        'Your verification code is <strong>{{code}}</strong>.',
        'It expires in {{expiresInHours}} hours; do not share it with anyone.',
      ),
    },
    sms: 'Your verification code is in your email. Do not share it.',
    push: { title: 'Verification code', body: 'Your code is in your email.' },
  },
  confirm_reminder: {
    required: [],
    optional: { expiresInHours: '24' },
    atSend: ['code'],
    email: {
      subject: 'Confirm your email address',
      text: 'Hello {{firstName}},\n\nYou have not confirmed your email address yet. Your new code is {{code}} (valid {{expiresInHours}} hours); do not share it.',
      html: para(
        'Hello {{firstName}},',
        'You have not confirmed your email address yet.',
        'Your new code is <strong>{{code}}</strong> (valid {{expiresInHours}} hours); do not share it.',
      ),
    },
    sms: 'Reminder: confirm your email address to finish signing up.',
    push: { title: 'Finish signing up', body: 'Confirm your email address to continue.' },
  },
  kyc_approved: {
    required: [],
    email: {
      subject: 'Your identity is verified',
      text: 'Hello {{firstName}},\n\nGood news: your identity verification was approved.',
      html: para('Hello {{firstName}},', 'Good news: your identity verification was approved.'),
    },
    sms: 'Your identity verification was approved.',
    push: { title: 'Verification approved', body: 'Your identity is verified.' },
  },
  kyc_declined: {
    required: [],
    optional: { reason: 'no reason was given' },
    email: {
      subject: 'Your identity verification was declined',
      text: 'Hello {{firstName}},\n\nYour identity verification was declined ({{reason}}). Contact support if you think this is a mistake.',
      html: para(
        'Hello {{firstName}},',
        'Your identity verification was declined ({{reason}}).',
        'Contact support if you think this is a mistake.',
      ),
    },
    sms: 'Your identity verification was declined. Check your email for details.',
    push: { title: 'Verification declined', body: 'Your identity verification was declined.' },
  },
  kyc_resubmission: {
    required: [],
    optional: { reason: 'a document could not be read' },
    email: {
      subject: 'Please resubmit your documents',
      text: 'Hello {{firstName}},\n\nWe need you to resubmit your verification ({{reason}}). Open the app to try again.',
      html: para(
        'Hello {{firstName}},',
        'We need you to resubmit your verification ({{reason}}).',
        'Open the app to try again.',
      ),
    },
    sms: 'Please resubmit your identity verification in the app.',
    push: { title: 'Resubmission needed', body: 'Please resubmit your identity verification.' },
  },
  kyc_session_expired: {
    required: [],
    email: {
      subject: 'Your verification session expired',
      text: 'Hello {{firstName}},\n\nYour verification session expired before it was finished. Open the app to start again.',
      html: para(
        'Hello {{firstName}},',
        'Your verification session expired before it was finished.',
        'Open the app to start again.',
      ),
    },
    sms: 'Your verification session expired. Open the app to start again.',
    push: { title: 'Session expired', body: 'Start your verification again in the app.' },
  },
  kyc_status_update: {
    required: ['status'],
    email: {
      subject: 'Your verification status changed',
      text: 'Hello {{firstName}},\n\nYour verification status is now: {{status}}.',
      html: para('Hello {{firstName}},', 'Your verification status is now: <strong>{{status}}</strong>.'),
    },
    sms: 'Your verification status is now: {{status}}.',
    push: { title: 'Verification update', body: 'Status: {{status}}' },
  },
  account_activated: {
    required: [],
    optional: { kycLevel: 'basic' },
    email: {
      subject: 'Your account is active',
      text: 'Hello {{firstName}},\n\nYour account is now active. Welcome!',
      html: para('Hello {{firstName}},', 'Your account is now active. Welcome!'),
    },
    sms: 'Your account is now active. Welcome!',
    push: { title: 'Account active', body: 'Welcome! Your account is ready.' },
  },
  identity_number_request: {
    required: ['types'],
    optional: { requestId: '', dueAt: '' },
    email: {
      subject: 'Please provide your {{idType}}',
      text: 'Hello {{firstName}},\n\nTo keep your account in good standing, please submit your {{idType}} in the app by {{dueDate}}.',
      html: para(
        'Hello {{firstName}},',
        'To keep your account in good standing, please submit your {{idType}} in the app by {{dueDate}}.',
      ),
    },
    sms: 'Please submit your {{idType}} in the app by {{dueDate}}.',
    push: { title: '{{idType}} needed', body: 'Please submit your {{idType}} by {{dueDate}}.' },
  },
  identity_number_reminder: {
    required: ['types'],
    optional: { requestId: '', dueAt: '' },
    email: {
      subject: 'Reminder: your {{idType}} {{isAre}} still needed',
      text: 'Hello {{firstName}},\n\nWe still need your {{idType}}. Please submit it in the app by {{dueDate}}.',
      html: para('Hello {{firstName}},', 'We still need your {{idType}}. Please submit it in the app by {{dueDate}}.'),
    },
    sms: 'Reminder: submit your {{idType}} in the app by {{dueDate}}.',
    push: { title: 'Reminder', body: 'Your {{idType}} {{isAre}} still needed.' },
  },
  identity_number_verified: {
    required: ['types'],
    optional: { requestId: '' },
    email: {
      subject: 'Your {{idType}} {{isAre}} verified',
      text: 'Hello {{firstName}},\n\nThank you: your {{idType}} {{wasWere}} verified.',
      html: para('Hello {{firstName}},', 'Thank you: your {{idType}} {{wasWere}} verified.'),
    },
    sms: 'Your {{idType}} {{wasWere}} verified. Thank you.',
    push: { title: '{{idType}} verified', body: 'Thank you, all done.' },
  },
  identity_number_failed: {
    required: [],
    optional: {
      requestId: '',
      types: '',
      reasonCode: '',
      canResubmit: 'true',
      reason: 'the details did not match your profile',
    },
    email: {
      subject: 'We could not verify your {{idType}}',
      text: 'Hello {{firstName}},\n\nWe could not verify your {{idType}}: {{reason}}. Please check it and try again.',
      html: para(
        'Hello {{firstName}},',
        'We could not verify your {{idType}}: {{reason}}.',
        'Please check it and try again.',
      ),
    },
    sms: 'We could not verify your {{idType}}. Check your email for details.',
    push: { title: '{{idType}} not verified', body: 'Please check your details and try again.' },
  },
  registration_attempted: {
    // To the owner of a taken address: no link to act on, nothing that helps whoever tried.
    required: [],
    email: {
      subject: 'Someone tried to register with your email address',
      text: 'Hello {{firstName}},\n\nSomeone just tried to create a new account with your email address. Your account already exists, so nothing was changed.\n\nIf it was you, sign in instead; if you forgot your password, use "Forgot password" on the sign-in page. If it was not you, you can ignore this email.',
      html: para(
        'Hello {{firstName}},',
        'Someone just tried to create a new account with your email address. Your account already exists, so nothing was changed.',
        'If it was you, sign in instead; if you forgot your password, use "Forgot password" on the sign-in page. If it was not you, you can ignore this email.',
      ),
    },
    sms: 'Someone tried to register with your email address. Nothing was changed.',
    push: { title: 'Registration attempt', body: 'Someone tried to register with your email address.' },
  },
  staff_welcome: {
    // No password in it, ever: a single-use, expiring link to choose one (docs/roles.md). The link is
    // minted inside the email send and the organization's name read then: the request carries ids only.
    required: [],
    atSend: ['tenantName', 'setPasswordUrl', 'expiresInHours'],
    email: {
      subject: 'Welcome to {{tenantName}}',
      text: 'Hello {{firstName}},\n\nAn administrator of {{tenantName}} created an account for you. Choose your password here (the link works once, for {{expiresInHours}} hours):\n\n{{setPasswordUrl}}\n\nThen sign in with your email address and that password. If you did not expect this, ignore this email.',
      html: para(
        'Hello {{firstName}},',
        'An administrator of {{tenantName}} created an account for you.',
        '<a href="{{setPasswordUrl}}">Choose your password</a> (the link works once, for {{expiresInHours}} hours), then sign in with your email address and that password.',
        'If you did not expect this, ignore this email.',
      ),
    },
    sms: 'An account at {{tenantName}} was created for you: check your email to choose your password.',
    push: { title: 'Welcome to {{tenantName}}', body: 'Check your email to choose your password.' },
  },
  password_reset_code: {
    // The code is minted inside the email send (send-time-data.ts) and only goes by email: the SMS
    // and push texts say where it is, never what it is.
    required: [],
    atSend: ['code', 'expiresInMinutes'],
    email: {
      subject: 'Your password reset code',
      text: 'Hello {{firstName}},\n\nSomeone asked to reset the password of your account. Your code is {{code}}; it works once, for {{expiresInMinutes}} minutes. Do not share it with anyone.\n\nIf you did not ask for this, ignore this email: your password stays as it is.',
      html: para(
        'Hello {{firstName}},',
        'Someone asked to reset the password of your account. Your code is <strong>{{code}}</strong>; it works once, for {{expiresInMinutes}} minutes. Do not share it with anyone.',
        'If you did not ask for this, ignore this email: your password stays as it is.',
      ),
    },
    sms: 'A password reset was requested for your account: the code is in your email.',
    push: { title: 'Password reset requested', body: 'The code is in your email.' },
  },
  password_changed: {
    required: [],
    email: {
      subject: 'Your password was changed',
      text: 'Hello {{firstName}},\n\nThe password of your account was just changed, and the devices signed in with the old one were signed out.\n\nIf this was not you, reset your password now with "Forgot password" and contact support.',
      html: para(
        'Hello {{firstName}},',
        'The password of your account was just changed, and the devices signed in with the old one were signed out.',
        'If this was not you, reset your password now with "Forgot password" and contact support.',
      ),
    },
    sms: 'Your password was changed. If this was not you, reset it now and contact support.',
    push: { title: 'Password changed', body: 'If this was not you, reset your password now.' },
  },
  compliance_digest: {
    required: ['overdue', 'stuck'],
    optional: { sampleRequestIds: 'none' },
    email: {
      subject: 'Compliance digest: {{overdue}} overdue, {{stuck}} stuck verification requests',
      text: 'Hello {{firstName}},\n\nBVN/NIN verification requests needing attention: {{overdue}} overdue, {{stuck}} stuck in verification.\nExamples: {{sampleRequestIds}}',
      html: para(
        'Hello {{firstName}},',
        'BVN/NIN verification requests needing attention: {{overdue}} overdue, {{stuck}} stuck in verification.',
        'Examples: {{sampleRequestIds}}',
      ),
    },
    sms: 'Compliance digest: {{overdue}} overdue, {{stuck}} stuck verification requests. Details in your email.',
    push: { title: 'Compliance digest', body: '{{overdue}} overdue, {{stuck}} stuck verification requests.' },
  },
};

/** Translations plug in here, keyed by language; anything missing falls back to English. */
export const TEMPLATES: Record<string, Partial<Record<NotificationEvent, EventTemplate>>> = { en: EN };

const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Placeholders a template's texts use: checked by the unit tests against `required`/`optional`. */
export function placeholdersOf(t: EventTemplate): Set<string> {
  const texts = [t.email.subject, t.email.text, t.email.html, t.sms, t.push.title, t.push.body];
  return new Set(texts.flatMap((x) => [...x.matchAll(PLACEHOLDER)].map((m) => m[1])));
}

/** Missing required or unknown placeholders are a caller bug: TemplateError (not retried). */
/**
 * Values computed from what callers send, so callers pass facts (`types: 'bvn,nin'`, an ISO
 * `dueAt`) and templates read words (`idType: 'BVN and NIN'`, `dueDate: '2026-11-29'`).
 */
export const DERIVED_PLACEHOLDERS = ['idType', 'isAre', 'wasWere', 'dueDate'] as const;
function derive(data: Record<string, string>): Record<string, string> {
  const names = (data.types ?? '')
    .split(',')
    .filter(Boolean)
    .map((t) => t.toUpperCase());
  return {
    idType: names.length ? names.join(' and ') : 'identity number',
    // "Your BVN and NIN are verified": the verb agrees with how many numbers were asked for.
    isAre: names.length > 1 ? 'are' : 'is',
    wasWere: names.length > 1 ? 'were' : 'was',
    dueDate: data.dueAt ? data.dueAt.slice(0, 10) : 'soon',
  };
}

/** The placeholders of `event` the sender fills in itself (see `EventTemplate.atSend`). */
export const atSendOf = (event: NotificationEvent): readonly string[] => EN[event].atSend ?? [];

export function validatePlaceholders(event: NotificationEvent, data: Record<string, string>): void {
  const t = EN[event];
  const missing = t.required.filter((k) => !data[k]);
  const known = new Set([...t.required, ...Object.keys(t.optional ?? {}), ...(t.atSend ?? []), 'firstName']);
  const unknown = Object.keys(data).filter((k) => !known.has(k));
  if (missing.length) throw new TemplateError(`${event}: missing placeholders ${missing.join(', ')}`);
  if (unknown.length) throw new TemplateError(`${event}: unknown placeholders ${unknown.join(', ')}`);
}

export function renderTemplate(
  event: NotificationEvent,
  language: string,
  data: Record<string, string>,
): RenderedMessage {
  validatePlaceholders(event, data);
  const lang = TEMPLATES[language]?.[event] ? language : 'en';
  const t = TEMPLATES[lang][event]!;
  // An empty optional value falls back to the template's wording rather than leaving a gap.
  const given = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== ''));
  const values: Record<string, string> = { firstName: 'there', ...t.optional, ...given, ...derive(data) };
  // Values never carry control characters or bidi overrides into a message (a name with CR/LF
  // could forge lines in the text part; one with U+202E could disguise a link): stripped first.
  const atSend = new Set(t.atSend ?? []);
  const fill = (s: string, esc = (v: string) => v) =>
    s.replace(PLACEHOLDER, (_m, k: string) => {
      // A link or code the sender failed to supply must not go out as a blank.
      if (atSend.has(k) && !values[k])
        throw new TemplateError(`${event}: ${k} is filled in when sending and is missing`);
      return esc(stripUnsafeText(values[k] ?? ''));
    });
  return {
    language: lang,
    email: { subject: fill(t.email.subject), text: fill(t.email.text), html: fill(t.email.html, escapeHtml) },
    sms: fill(t.sms),
    push: { title: fill(t.push.title), body: fill(t.push.body) },
  };
}
