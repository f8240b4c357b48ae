// The analytics dashboard's script (/admin/analytics/app.js): signs in with the API, fetches the
// analytics endpoints with the user's token and draws the charts as SVG. Plain browser JavaScript.
/* global AdminPage */
'use strict';
(function () {
  var $ = function (sel) {
    return document.querySelector(sel);
  };
  // Sign-in, the token and API calls are the shared sign-in.js's.
  var page = AdminPage({
    tokenKey: 'analytics.accessToken',
    load: function () {
      return load();
    },
  });
  var api = page.api;
  var signOut = page.signOut;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      e.appendChild(c);
    });
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    return e;
  }
  function fmt(n) {
    return n === null || n === undefined
      ? '–'
      : typeof n === 'number'
        ? n.toLocaleString('en-US', { maximumFractionDigits: 2 })
        : String(n);
  }
  function table(rows, head) {
    var t = el('table');
    if (head)
      t.appendChild(
        el(
          'tr',
          {},
          head.map(function (h) {
            return el('th', { text: h });
          }),
        ),
      );
    rows.forEach(function (r) {
      t.appendChild(
        el(
          'tr',
          {},
          r.map(function (c) {
            return el('td', { text: fmt(c), class: typeof c === 'number' ? 'n' : '' });
          }),
        ),
      );
    });
    return t;
  }
  function countsTable(obj, title) {
    return table(
      Object.keys(obj).map(function (k) {
        return [k, obj[k]];
      }),
      [title, 'users'],
    );
  }
  // Width through the CSSOM: a style attribute would be blocked by the page's CSP.
  function fill(pct) {
    var f = el('div', { class: 'fill' });
    f.style.width = pct.toFixed(1) + '%';
    return f;
  }
  function bars(items) {
    var max = Math.max.apply(
      null,
      items
        .map(function (i) {
          return i.value;
        })
        .concat([1]),
    );
    return el(
      'div',
      {},
      items.map(function (i) {
        return el('div', { class: 'bar', 'data-key': i.label }, [
          el('span', { class: 'label', text: i.label }),
          el('span', { class: 'track' }, [fill((100 * i.value) / max)]),
          el('span', { class: 'v', text: fmt(i.value) + (i.extra ? ' ' + i.extra : '') }),
        ]);
      }),
    );
  }
  function lineChart(series, keys) {
    var W = 720,
      H = 220,
      P = 32;
    var svg = svgEl('svg', {
      viewBox: '0 0 ' + W + ' ' + H,
      width: '100%',
      role: 'img',
      'aria-label': 'growth line chart',
    });
    var max = 1;
    series.forEach(function (p) {
      keys.forEach(function (k) {
        max = Math.max(max, p[k.key]);
      });
    });
    var x = function (i) {
      return P + (series.length < 2 ? 0 : (i * (W - 2 * P)) / (series.length - 1));
    };
    var y = function (v) {
      return H - P - (v * (H - 2 * P)) / max;
    };
    svg.appendChild(svgEl('line', { x1: P, y1: H - P, x2: W - P, y2: H - P, stroke: '#999' }));
    svg.appendChild(svgEl('line', { x1: P, y1: P, x2: P, y2: H - P, stroke: '#999' }));
    var yl = svgEl('text', { x: 2, y: P });
    yl.textContent = String(max);
    svg.appendChild(yl);
    [0, series.length - 1].forEach(function (i) {
      if (!series[i]) return;
      var t = svgEl('text', { x: x(i) - 20, y: H - 8 });
      t.textContent = series[i].period;
      svg.appendChild(t);
    });
    keys.forEach(function (k) {
      var d = series
        .map(function (p, i) {
          return (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(p[k.key]).toFixed(1);
        })
        .join(' ');
      svg.appendChild(svgEl('path', { d: d, fill: 'none', stroke: k.color, 'stroke-width': 2, 'data-series': k.key }));
    });
    return svg;
  }

  var render = {
    'active-users': function (d) {
      return el(
        'div',
        { class: 'tiles' },
        [
          ['Active (status)', d.activeStatus],
          ['Daily', d.dailyActiveUsers],
          ['Weekly', d.weeklyActiveUsers],
          ['Monthly', d.monthlyActiveUsers],
        ].map(function (t) {
          return el('div', { class: 'tile' }, [el('b', { text: fmt(t[1]) }), el('span', { text: t[0] })]);
        }),
      );
    },
    growth: function (d) {
      return el('div', {}, [
        el('p', { class: 'legend' }, [
          el('span', { class: 'reg', text: '— registrations ' + fmt(d.totals.registrations) }),
          el('span', { class: 'act', text: '— activations ' + fmt(d.totals.activations) }),
        ]),
        lineChart(d.series, [
          { key: 'registrations', color: '#3b82f6' },
          { key: 'activations', color: '#16a34a' },
        ]),
      ]);
    },
    'kyc-funnel': function (d) {
      return bars(
        d.steps.map(function (s) {
          var extra =
            s.conversionFromPrevious === null
              ? ''
              : '(' +
                s.conversionFromPrevious +
                '%' +
                (s.medianHoursFromPrevious === null ? '' : ', median ' + s.medianHoursFromPrevious + ' h') +
                ')';
          return { label: s.step, value: s.count, extra: extra };
        }),
      );
    },
    'status-distribution': function (d) {
      return countsTable(d.byStatus, 'status');
    },
    'role-distribution': function (d) {
      return el('div', {}, [countsTable(d.byRole, 'role'), countsTable(d.byUserType, 'user type')]);
    },
    'kyc-levels': function (d) {
      return el('div', {}, [countsTable(d.byLevel, 'KYC level'), countsTable(d.byPartnerTier, 'partner tier')]);
    },
    'verification-requests': function (d) {
      var o = d.outcomes;
      var rows = [
        ['verified', o.verified],
        ['failed', o.failed],
      ].concat(
        Object.keys(o.failedByCode).map(function (k) {
          return ['  failed: ' + k, o.failedByCode[k]];
        }),
      );
      rows = rows.concat([
        ['expired', o.expired],
        ['cancelled', o.cancelled],
        ['open', o.open],
        ['overdue', o.overdue],
        ['median minutes to verify', d.medianMinutesToVerify],
      ]);
      return table(rows, ['outcome', 'requests']);
    },
    'transaction-averages': function (d) {
      return table(
        d.groups.map(function (g) {
          return [g.direction, g.currency, g.count, g.sum, g.average];
        }),
        ['direction', 'currency', 'count', 'sum', 'average'],
      );
    },
    geography: function (d) {
      return bars(
        d.countries.map(function (c) {
          return { label: c.country || '(none)', value: c.total };
        }),
      );
    },
  };

  function query() {
    var f = new FormData($('#filters'));
    var q = [];
    f.forEach(function (v, k) {
      if (v) q.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
    });
    return q.join('&');
  }
  function load() {
    var q = query();
    $('#status').textContent = 'loading…';
    var names = Object.keys(render);
    return Promise.all(
      names.map(function (name) {
        var body = document.querySelector('#' + name + ' .body');
        return api('/users/analytics/' + name + '?' + q).then(function (r) {
          body.innerHTML = '';
          if (r.status === 401) {
            signOut();
            return;
          }
          if (!r.body.success) {
            body.appendChild(el('p', { class: 'error', text: r.body.error.code + ': ' + r.body.error.message }));
            return;
          }
          body.appendChild(render[name](r.body.data));
        });
      }),
    ).then(function () {
      $('#status').textContent = '';
      document.body.setAttribute('data-loaded', 'true');
    });
  }
  $('#filters').addEventListener('submit', function (ev) {
    ev.preventDefault();
    load();
  });
  page.start();
})();
