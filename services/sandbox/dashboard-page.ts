import type { BridgeKycLink } from './bridge-simulator';
import type { OutboxMessage } from './outbox';
import type { VeriffSession } from './veriff-simulator';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const button = (path: string, label: string, body?: object) =>
  `<button onclick='act(${JSON.stringify(path)}, ${JSON.stringify(body ?? null)})'>${esc(label)}</button>`;

const VERIFF_ACTIONS = [
  'started',
  'submitted',
  'approved',
  'declined',
  'resubmission_requested',
  'review',
  'expired',
  'abandoned',
];
const BRIDGE_ACTIONS = ['under_review', 'approved', 'rejected', 'offboarded'];

/** `ada.obi@example.com` → `a***@example.com`: enough to recognise your own, not to harvest. */
export const maskEmail = (email: string) => {
  const at = email.indexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
};

const newestFirst = <T>(items: T[], at: (i: T) => string) => [...items].sort((a, b) => at(b).localeCompare(at(a)));

/** Case-insensitive "contains" over the fields that say whose a row is (full email included). */
const matches = (q: string, ...fields: (string | null | undefined)[]) =>
  !q || fields.some((f) => (f ?? '').toLowerCase().includes(q));

/**
 * A small page for people driving the sandbox by hand: every Veriff session and Bridge link with
 * whose it is (name, user id, masked email), newest first, and the outbox; `?q=` filters all three
 * by email, name, user id or id. The control API behind the buttons: docs/sandbox.md.
 */
export function dashboardPage(data: {
  messages: OutboxMessage[];
  sessions: VeriffSession[];
  links: BridgeKycLink[];
  q?: string;
}): string {
  const q = (data.q ?? '').trim().toLowerCase();
  const name = (p: VeriffSession['person']) => (p ? `${p.firstName} ${p.lastName}`.trim() : '');
  const sessions = newestFirst(data.sessions, (s) => s.createdAt)
    .filter((s) => matches(q, s.id, s.vendorData, s.endUserId, name(s.person)))
    .map(
      (s) =>
        `<tr><td>${esc(s.createdAt)}</td><td>${esc(name(s.person)) || '—'}<br><small>user <code>${esc(s.vendorData)}</code></small></td><td><code>${esc(s.id)}</code></td><td>${esc(s.status)}</td><td>${VERIFF_ACTIONS.map((a) => button(`/veriff/sessions/${s.id}/decision`, a, { status: a })).join(' ')}</td></tr>`,
    )
    .join('');
  const links = newestFirst(data.links, (l) => l.created_at)
    .filter((l) => matches(q, l.id, l.email, l.full_name, l.customer_id))
    .map(
      (l) =>
        `<tr><td>${esc(l.created_at)}</td><td>${esc(l.full_name)}<br><small>${esc(maskEmail(l.email))}</small></td><td><code>${esc(l.id)}</code></td><td>${esc(l.kyc_status)}</td><td>${esc(l.tos_status)}</td><td>${button(`/bridge/kyc_links/${l.id}/tos`, 'accept ToS')} ${BRIDGE_ACTIONS.map((a) => button(`/bridge/kyc_links/${l.id}/kyc`, a, { status: a })).join(' ')}</td></tr>`,
    )
    .join('');
  const messages = data.messages
    .filter((m) => matches(q, m.to))
    .map(
      (m) =>
        `<tr><td>${esc(m.createdAt)}</td><td>${esc(m.channel)}</td><td>${esc(m.to)}</td><td>${esc(m.subject)}</td><td><pre>${esc(m.body)}</pre></td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Provider sandbox</title>
<style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse;margin-bottom:2rem}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style></head>
<body><h1>Provider sandbox</h1>
<form method="get"><label>Find yours: <input name="q" value="${esc(data.q ?? '')}" placeholder="email, name, user id or session id" size="40"></label> <button>Filter</button> <a href="/">all</a> · <a href="/docs">control API</a></form>
<h2>Veriff sessions (newest first)</h2><table><tr><th>created</th><th>whose</th><th>session</th><th>status</th><th>send webhook</th></tr>${sessions || '<tr><td colspan=5>none</td></tr>'}</table>
<h2>Bridge KYC links (newest first)</h2><table><tr><th>created</th><th>whose</th><th>link</th><th>kyc</th><th>tos</th><th>send webhook</th></tr>${links || '<tr><td colspan=6>none</td></tr>'}</table>
<h2>Outbox (newest first)</h2><table><tr><th>at</th><th>channel</th><th>to</th><th>subject</th><th>body</th></tr>${messages || '<tr><td colspan=5>empty</td></tr>'}</table>
<script>async function act(path, body){const r=await fetch(path,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body||{})});if(!r.ok)alert(await r.text());location.reload();}</script>
</body></html>`;
}
