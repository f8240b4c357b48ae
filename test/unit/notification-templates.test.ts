import { placeholdersOf, renderTemplate, TEMPLATES, TemplateError } from '../../activities/notifications/templates';
import { NOTIFICATION_EVENTS } from '../../workflows/notify.contract';

describe('notification templates', () => {
  it.each(NOTIFICATION_EVENTS)('%s has every channel and declares exactly the placeholders it uses', (event) => {
    const t = TEMPLATES.en[event]!;
    const declared = new Set([...t.required, ...Object.keys(t.optional ?? {}), 'firstName']);
    for (const p of placeholdersOf(t)) expect(declared).toContain(p);
    const data = Object.fromEntries(t.required.map((k) => [k, `v-${k}`]));
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

  it('escapes values in HTML only, and falls back to English for a missing language', () => {
    const out = renderTemplate('kyc_declined', 'yo', { reason: '<script>x</script>' });
    expect(out.language).toBe('en');
    expect(out.email.html).toContain('&lt;script&gt;');
    expect(out.email.text).toContain('<script>x</script>');
  });
});
