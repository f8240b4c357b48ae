// What every backoffice page shares (served as <page>/sign-in.js, before the page's own script):
// sign-in with the API, the token kept in sessionStorage under the page's key, API calls with it,
// sign-out (also on a 401). Plain browser JavaScript. A page calls
// AdminPage({ tokenKey, load }) and then start(): `load` runs whenever the user is signed in.
/* exported AdminPage */
var AdminPage = function (opts) {
  'use strict';
  var $ = function (sel) {
    return document.querySelector(sel);
  };
  var token = sessionStorage.getItem(opts.tokenKey);

  // JSON in and out; the caller's headers (e.g. idempotency-key) go along with the token.
  function api(path, init) {
    init = init || {};
    init.headers = Object.assign(
      { 'content-type': 'application/json' },
      init.headers || {},
      token ? { authorization: 'Bearer ' + token } : {},
    );
    return fetch(path, init).then(function (r) {
      return r.json().then(function (j) {
        return { status: r.status, body: j };
      });
    });
  }
  function show() {
    $('#login').hidden = !!token;
    $('#app').hidden = !token;
    $('#logout').hidden = !token;
    if (token) opts.load();
  }
  function signOut() {
    token = null;
    sessionStorage.removeItem(opts.tokenKey);
    show();
  }
  $('#login').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = new FormData(ev.target);
    api('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: f.get('email'), password: f.get('password') }),
    }).then(function (r) {
      if (!r.body.success) {
        $('#login-error').textContent = r.body.error.message;
        return;
      }
      token = r.body.data.accessToken;
      sessionStorage.setItem(opts.tokenKey, token);
      show();
    });
  });
  $('#logout').addEventListener('click', signOut);
  return { api: api, signOut: signOut, start: show };
};
