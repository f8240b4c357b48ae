import type { BridgeKycLink } from './bridge-simulator';
import type { OutboxMessage } from './outbox';
import type { VeriffSession } from './veriff-simulator';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const button = (path: string, label: string, body?: object) =>
  `<button onclick='act(${JSON.stringify(path)}, ${JSON.stringify(body ?? null)})'>${esc(label)}</button>`;

const VERIFF_ACTIONS = ['started', 'submitted', 'approved', 'declined', 'resubmission_requested', 'review', 'expired', 'abandoned'];
const BRIDGE_ACTIONS = ['under_review', 'approved', 'rejected', 'offboarded'];

/** A small page for people driving the sandbox by hand: the outbox and every pending session. */
export function dashboardPage(data: { messages: OutboxMessage[]; sessions: VeriffSession[]; links: BridgeKycLink[] }): string {
  const sessions = data.sessions
    .map((s) => `<tr><td><code>${esc(s.id)}</code></td><td>${esc(s.status)}</td><td>${VERIFF_ACTIONS.map((a) => button(`/veriff/sessions/${s.id}/decision`, a, { status: a })).join(' ')}</td></tr>`)
    .join('');
  const links = data.links
    .map((l) => `<tr><td><code>${esc(l.id)}</code></td><td>${esc(l.kyc_status)}</td><td>${esc(l.tos_status)}</td><td>${button(`/bridge/kyc_links/${l.id}/tos`, 'accept ToS')} ${BRIDGE_ACTIONS.map((a) => button(`/bridge/kyc_links/${l.id}/kyc`, a, { status: a })).join(' ')}</td></tr>`)
    .join('');
  const messages = data.messages
    .map((m) => `<tr><td>${esc(m.createdAt)}</td><td>${esc(m.channel)}</td><td>${esc(m.to)}</td><td>${esc(m.subject)}</td><td><pre>${esc(m.body)}</pre></td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Provider sandbox</title>
<style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse;margin-bottom:2rem}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style></head>
<body><h1>Provider sandbox</h1>
<h2>Veriff sessions</h2><table><tr><th>session</th><th>status</th><th>send webhook</th></tr>${sessions || '<tr><td colspan=3>none</td></tr>'}</table>
<h2>Bridge KYC links</h2><table><tr><th>link</th><th>kyc</th><th>tos</th><th>send webhook</th></tr>${links || '<tr><td colspan=4>none</td></tr>'}</table>
<h2>Outbox (newest first)</h2><table><tr><th>at</th><th>channel</th><th>to</th><th>subject</th><th>body</th></tr>${messages || '<tr><td colspan=5>empty</td></tr>'}</table>
<script>async function act(path, body){const r=await fetch(path,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body||{})});if(!r.ok)alert(await r.text());location.reload();}</script>
</body></html>`;
}
