// The cases backoffice page (/admin/cases): list → open → act → audit trail. Plain browser
// JavaScript, no build step; every call goes to the documented /cases API with the user's token.
/* global AdminPage */
(function () {
  'use strict';
  // Sign-in, the token and API calls are the shared sign-in.js's.
  var page = AdminPage({
    tokenKey: 'cases.token',
    load: function () {
      return loadList();
    },
  });
  var api = page.api;
  var signOut = page.signOut;
  var current = null;
  var $ = function (sel) {
    return document.querySelector(sel);
  };

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    return e;
  }

  function age(iso) {
    var h = (Date.now() - new Date(iso).getTime()) / 3600000;
    return h < 1 ? Math.round(h * 60) + ' min' : h < 48 ? Math.round(h) + ' h' : Math.round(h / 24) + ' d';
  }

  function query() {
    var f = new FormData($('#filters'));
    var q = new URLSearchParams();
    f.forEach(function (v, k) {
      if (v !== '') q.set(k, String(v));
    });
    q.set('limit', '100');
    return q.toString();
  }

  function loadList() {
    $('#status').textContent = 'loading…';
    return api('/cases?' + query()).then(function (r) {
      if (r.status === 401) return signOut();
      var body = $('#list tbody');
      body.textContent = '';
      if (!r.body.success) {
        $('#status').textContent = r.body.error.message;
        return;
      }
      var items = r.body.data.items;
      $('#status').textContent = r.body.data.total + ' case(s)';
      $('#empty').hidden = items.length > 0;
      items.forEach(function (c) {
        var tr = el('tr', null, { class: 'case-row', 'data-case-id': c.id, 'data-kind': c.kind });
        tr.appendChild(el('td', c.kind));
        tr.appendChild(el('td', c.tenantId || '—'));
        tr.appendChild(el('td', [c.why.step, c.why.lastProviderEvent].filter(Boolean).join(' · ')));
        tr.appendChild(el('td', new Date(c.openedAt).toISOString().replace('T', ' ').slice(0, 16)));
        tr.appendChild(el('td', age(c.openedAt)));
        var open = el('td');
        open.appendChild(el('button', 'Open', { type: 'button' }));
        tr.appendChild(open);
        tr.addEventListener('click', function () {
          openCase(c.id);
        });
        body.appendChild(tr);
      });
      document.body.setAttribute('data-loaded', 'true');
    });
  }

  function fact(dl, name, value, href) {
    dl.appendChild(el('dt', name));
    var dd = el('dd');
    if (href) dd.appendChild(el('a', value, { href: href, target: '_blank', rel: 'noopener' }));
    else dd.textContent = value === null || value === undefined ? '—' : String(value);
    dl.appendChild(dd);
  }

  function showCase(c) {
    current = c;
    $('#case').hidden = false;
    $('#case').setAttribute('data-case-id', c.id);
    $('#case').setAttribute('data-open', String(c.open));
    $('#case-title').textContent = c.kind + (c.open ? '' : ' (closed: ' + c.resolution + ')');
    var dl = $('#case-facts');
    dl.textContent = '';
    fact(dl, 'Case', c.id);
    fact(dl, 'Tenant', c.tenantId);
    fact(dl, 'Owner', c.ownerUserId);
    fact(dl, 'Step', c.why.step);
    fact(dl, 'Since', c.why.since);
    fact(dl, 'Last provider event', c.why.lastProviderEvent);
    fact(dl, 'Attempts', c.why.attempts);
    fact(dl, 'Detail', c.why.detail);
    fact(dl, 'Opened', c.openedAt);
    fact(dl, 'Version', c.version);
    if (c.temporalUrl) fact(dl, 'Run', c.workflowId, c.temporalUrl);
    var sel = $('#act select[name=action]');
    sel.textContent = '';
    c.actions.forEach(function (a) {
      sel.appendChild(el('option', a, { value: a }));
    });
    $('#act').hidden = c.actions.length === 0;
    $('#due-label').hidden = sel.value !== 'extend';
    $('#hours-label').hidden = sel.value !== 'extend_deadline';
    var body = $('#trail tbody');
    body.textContent = '';
    (c.trail || []).forEach(function (e) {
      var tr = el('tr', null, { 'data-action': e.action });
      tr.appendChild(el('td', e.at.replace('T', ' ').slice(0, 19)));
      tr.appendChild(el('td', e.actor));
      tr.appendChild(el('td', e.action));
      tr.appendChild(el('td', JSON.stringify(e.from) + ' → ' + JSON.stringify(e.to)));
      tr.appendChild(el('td', e.reason || ''));
      tr.appendChild(el('td', e.requestId || ''));
      body.appendChild(tr);
    });
  }

  function openCase(id, keepResult) {
    return api('/cases/' + encodeURIComponent(id)).then(function (r) {
      if (!r.body.success) {
        $('#act-result').textContent = r.body.error.message;
        return;
      }
      if (!keepResult) {
        $('#act-result').textContent = '';
        $('#act-result').className = '';
      }
      showCase(r.body.data);
    });
  }

  function newKey() {
    return 'page-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  }

  $('#act select[name=action]').addEventListener('change', function (ev) {
    $('#due-label').hidden = ev.target.value !== 'extend';
    $('#hours-label').hidden = ev.target.value !== 'extend_deadline';
  });

  $('#act').addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!current) return;
    var f = new FormData(ev.target);
    var payload = { action: f.get('action'), expectedVersion: current.version };
    if (f.get('reason')) payload.reason = f.get('reason');
    if (payload.action === 'extend' && f.get('dueAt')) payload.dueAt = new Date(String(f.get('dueAt'))).toISOString();
    if (payload.action === 'extend_deadline' && f.get('hours')) payload.hours = Number(f.get('hours'));
    var out = $('#act-result');
    out.className = '';
    out.textContent = 'working…';
    api('/cases/' + encodeURIComponent(current.id) + '/actions', {
      method: 'POST',
      body: JSON.stringify(payload),
      headers: { 'idempotency-key': newKey() },
    }).then(function (r) {
      if (!r.body.success) {
        out.className = 'error';
        out.textContent = r.body.error.code + ': ' + r.body.error.message;
        return;
      }
      out.className = 'ok';
      out.textContent = payload.action + ' done: ' + JSON.stringify(r.body.data.outcome);
      return openCase(current.id, true).then(loadList);
    });
  });

  $('#filters').addEventListener('submit', function (ev) {
    ev.preventDefault();
    loadList();
  });

  // The kinds come from the API's own contract (the `kind` filter's enum in /openapi.json), so the
  // page lists every kind the API knows without a copy of the list to keep in step.
  var kindSelect = $('#filters select[name=kind]');
  fetch('/openapi.json')
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (doc) {
      var params = (doc && doc.paths && doc.paths['/cases'] && doc.paths['/cases'].get.parameters) || [];
      var kind = params.filter(function (p) {
        return p.name === 'kind';
      })[0];
      ((kind && kind.schema && kind.schema.enum) || []).forEach(function (k) {
        kindSelect.appendChild(el('option', k, { value: k }));
      });
    })
    .catch(function () {
      /* the filter stays at "all kinds" */
    });
  page.start();
})();
