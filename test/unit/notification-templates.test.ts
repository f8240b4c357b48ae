import {
  DERIVED_PLACEHOLDERS,
  placeholdersOf,
  renderTemplate,
  TemplateError,
  TEMPLATES,
  validatePlaceholders,
} from '../../activities/notifications/templates';
import { NOTIFICATION_EVENTS } from '../../domain/contracts/notify.contract';

describe('notification templates', () => {
  it.each(NOTIFICATION_EVENTS)('%s has every channel and declares exactly the placeholders it uses', (event) => {
    const t = TEMPLATES.en[event]!;
    const declared = new Set([
      ...t.required,
      ...Object.keys(t.optional ?? {}),
      ...(t.atSend ?? []),
      'firstName',
      ...DERIVED_PLACEHOLDERS,
    ]);
    for (const p of placeholdersOf(t)) expect(declared).toContain(p);
    const data = Object.fromEntries([...t.required, ...(t.atSend ?? [])].map((k) => [k, `v-${k}`]));
    const out = renderTemplate(event, 'en', data);
    for (const text of [out.email.subject, out.email.text, out.email.html, out.sms, out.push.title, out.push.body]) {
      expect(text).not.toMatch(/\{\{|\}\}/);
      expect(text.length).toBeGreaterThan(0);
    }
    expect(out.sms.length).toBeLessThanOrEqual(160); // one SMS segment
  });

  it('rejects missing and unknown placeholders', () => {
    expect(() => renderTemplate('verification_code', 'en', {})).toThrow(TemplateError);
    expect(() => renderTemplate('kyc_approved', 'en', { cod: '1' })).toThrow(/unknown placeholders cod/);
  });

  it('refuses to render an email without the secret the sender fills in (never a blank link or code)', () => {
    expect(() => renderTemplate('password_reset_code', 'en', { expiresInMinutes: '30' })).toThrow(
      /code is filled in when sending/,
    );
    expect(() => renderTemplate('staff_welcome', 'en', { tenantName: 'First Bank', expiresInHours: '72' })).toThrow(
      /setPasswordUrl is filled in when sending/,
    );
    // The request itself carries none of them (planNotification validates the request's data alone).
    expect(() => validatePlaceholders('password_reset_code', {})).not.toThrow();
    expect(() => validatePlaceholders('staff_welcome', {})).not.toThrow();
    // The onboarding confirmation code too (issue 22): the request carries its lifetime only.
    for (const event of ['verification_code', 'confirm_reminder'] as const) {
      expect(() => renderTemplate(event, 'en', { expiresInHours: '24' })).toThrow(/code is filled in when sending/);
      expect(() => validatePlaceholders(event, { expiresInHours: '24' })).not.toThrow();
    }
  });

  it('sends reset and confirmation codes and set-password links by email only: SMS and push say where, not what', () => {
    for (const [event, secret] of [
      ['password_reset_code', 'code'],
      ['staff_welcome', 'setPasswordUrl'],
      ['verification_code', 'code'],
      ['confirm_reminder', 'code'],
    ] as const) {
      const t = TEMPLATES.en[event]!;
      expect(t.atSend).toContain(secret);
      for (const text of [t.sms, t.push.title, t.push.body]) expect(text).not.toContain(`{{${secret}}}`);
      expect(t.email.text).toContain(`{{${secret}}}`);
    }
  });

  it('escapes values in HTML only, and falls back to English for a missing language', () => {
    const out = renderTemplate('kyc_declined', 'yo', { reason: '<script>x</script>' });
    expect(out.language).toBe('en');
    expect(out.email.html).toContain('&lt;script&gt;');
    expect(out.email.text).toContain('<script>x</script>');
  });
});

// The exact data shapes the producing workflows send (workflows/onboarding.ts, verification-request.ts,
// verification-sweep.ts). A template that refuses one of these would fail every such message.
describe('templates accept what the workflows send', () => {
  const produced: [Parameters<typeof renderTemplate>[0], Record<string, string>][] = [
    ['verification_code', { code: '123456', expiresInHours: '24' }],
    ['confirm_reminder', { code: '654321', expiresInHours: '24' }],
    ['account_activated', { kycLevel: 'advanced' }],
    ['kyc_declined', {}],
    ['kyc_resubmission', { reason: '' }],
    ['kyc_session_expired', {}],
    ['identity_number_request', { requestId: 'r1', types: 'bvn,nin', dueAt: '2026-11-29T10:00:00.000Z' }],
    ['identity_number_reminder', { requestId: 'r1', types: 'bvn', dueAt: '2026-11-29T10:00:00.000Z' }],
    ['identity_number_verified', { requestId: 'r1', types: 'nin' }],
    [
      'identity_number_failed',
      { requestId: 'r1', reasonCode: 'NO_MATCH', reason: 'the name did not match', canResubmit: 'true' },
    ],
    ['compliance_digest', { overdue: '2', stuck: '1', sampleRequestIds: 'a,b' }],
    // Sender-filled values (send-time-data.ts) merged in; staff_welcome as recorded before that change too.
    [
      'staff_welcome',
      {
        tenantName: 'First Bank',
        setPasswordUrl: 'http://127.0.0.1:3000/set-password?token=pst_x',
        expiresInHours: '72',
      },
    ],
    ['password_reset_code', { code: '123456', expiresInMinutes: '30' }],
    ['password_changed', {}],
  ];
  it.each(produced)('%s', (event, data) => {
    const out = renderTemplate(event, 'en', data);
    expect(out.email.text).not.toMatch(/\{\{|\}\}|\(\)/);
  });

  it('writes identity number types and due dates in words', () => {
    const out = renderTemplate('identity_number_request', 'en', {
      requestId: 'r1',
      types: 'bvn,nin',
      dueAt: '2026-11-29T10:00:00.000Z',
    });
    expect(out.email.subject).toBe('Please provide your BVN and NIN');
    expect(out.sms).toContain('by 2026-11-29');
  });

  it('makes the verb agree with one or both numbers (issue 11)', () => {
    const both = renderTemplate('identity_number_verified', 'en', { requestId: 'r1', types: 'bvn,nin' });
    expect(both.email.subject).toBe('Your BVN and NIN are verified');
    expect(both.email.text).toContain('your BVN and NIN were verified');
    expect(both.sms).toBe('Your BVN and NIN were verified. Thank you.');
    const one = renderTemplate('identity_number_verified', 'en', { requestId: 'r1', types: 'nin' });
    expect(one.email.subject).toBe('Your NIN is verified');
    expect(one.email.text).toContain('your NIN was verified');
    expect(renderTemplate('identity_number_reminder', 'en', { requestId: 'r1', types: 'bvn,nin' }).email.subject).toBe(
      'Reminder: your BVN and NIN are still needed',
    );
  });

  it('uses the template wording when an optional value is empty', () => {
    expect(renderTemplate('kyc_resubmission', 'en', { reason: '' }).email.text).toContain(
      'a document could not be read',
    );
  });
});
