// `GET /phone`: a person (or a Playwright test) plays the customer's phone. It polls the control API once a
// second and shows the selected test customer's Vipps Login requests (with the binding message the kiosk
// shows) and payment requests, each with Approve / Reject.
//
// Self-contained on purpose (inline CSS and JS, no assets): it must work offline at a demo stand. All data
// goes into the DOM through textContent, never innerHTML, because payment text comes from request bodies.
// Cards are kept per reference and updated in place, so a button does not vanish under a click between polls.
// Stable test ids: customer-select, payment-<ref>, approve-<ref>, reject-<ref>, countdown-<ref>, status-<ref>;
// login-<id>, binding-<id>, consent-<id>-<consent>, approve-login-<id>, reject-login-<id>, login-status-<id>;
// scan-url, scan (the "Scan with phone" form: paste a one-time payment QR's link), scan-<ref> (pick one
// of the QR codes shown on a kiosk now, as if the camera saw it).

import type { Reply } from './http.js';

const STYLE = `
  :root { color-scheme: light; --ink: #1a1a1a; --muted: #4d4d4d; --line: #d9d9d9; --accent: #b93a0c;
          --paper: #ffffff; --back: #efece8; --ok: #1d6b3a; --bad: #8f1d1d; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--back); color: var(--ink);
         font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  .phone { max-width: 420px; min-height: 100vh; margin: 0 auto; background: var(--paper);
           display: flex; flex-direction: column; }
  @media (min-width: 480px) { .phone { margin: 24px auto; min-height: 780px; border-radius: 32px;
           box-shadow: 0 12px 40px rgba(0,0,0,.18); overflow: hidden; } }
  header { background: var(--accent); color: #fff; padding: 20px 20px 16px; }
  header h1 { margin: 0 0 12px; font-size: 1.35rem; }
  label { display: block; font-size: .9rem; margin-bottom: 6px; }
  select { width: 100%; min-height: 48px; font-size: 1rem; padding: 8px 12px; border-radius: 12px;
           border: 2px solid #fff; color: var(--ink); background: #fff; }
  main { padding: 16px 16px 32px; flex: 1; }
  h2 { font-size: 1.05rem; margin: 20px 4px 10px; }
  .empty { color: var(--muted); margin: 8px 4px; }
  .card { border: 1px solid var(--line); border-radius: 20px; padding: 18px; margin-bottom: 14px; }
  .merchant { font-weight: 600; }
  .description { color: var(--muted); margin-top: 2px; }
  .amount { font-size: 2rem; font-weight: 700; margin: 10px 0 6px; }
  .countdown { color: var(--muted); font-variant-numeric: tabular-nums; }
  .countdown.soon { color: var(--bad); font-weight: 600; }
  table { width: 100%; border-collapse: collapse; margin: 12px 0 4px; font-size: .95rem; }
  td { padding: 6px 0; border-top: 1px solid var(--line); vertical-align: top; }
  td.sum { text-align: right; white-space: nowrap; padding-left: 12px; }
  .actions { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 16px; }
  button { min-height: 56px; font-size: 1.1rem; font-weight: 600; border-radius: 16px; cursor: pointer; }
  button:focus-visible, select:focus-visible { outline: 3px solid #1f4fd1; outline-offset: 2px; }
  button:disabled { opacity: .6; cursor: progress; }
  .approve { background: var(--accent); color: #fff; border: 2px solid var(--accent); }
  .reject { background: #fff; color: var(--ink); border: 2px solid var(--ink); }
  .binding { font: 700 2.2rem/1.2 ui-monospace, "SFMono-Regular", Menlo, monospace; letter-spacing: .08em;
             margin: 8px 0 4px; }
  fieldset { border: 1px solid var(--line); border-radius: 12px; margin: 12px 0 0; padding: 8px 12px; }
  fieldset label { display: flex; gap: 10px; align-items: center; min-height: 40px; margin: 0; font-size: 1rem; }
  fieldset input { width: 22px; height: 22px; }
  .history .card { padding: 12px 16px; display: flex; justify-content: space-between; gap: 12px; }
  .state { font-weight: 600; }
  .state.AUTHORIZED { color: var(--ok); }
  .state.ABORTED, .state.EXPIRED, .state.TERMINATED { color: var(--bad); }
  #notice { color: var(--bad); margin: 0 4px 12px; }
  #notice:empty { margin: 0; }
  .scan { display: grid; grid-template-columns: 1fr auto; gap: 8px; }
  .scan input { min-height: 48px; font-size: 1rem; padding: 8px 12px; border-radius: 12px;
                border: 2px solid var(--line); min-width: 0; }
  .scan button, .seen button { min-height: 48px; padding: 0 16px; background: #fff; color: var(--ink);
                border: 2px solid var(--ink); }
  .seen { list-style: none; padding: 0; margin: 8px 0 0; }
  .seen li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 6px 0; }
`;

// Plain string concatenation below: this code runs in the browser and is embedded in a TS template literal.
const SCRIPT = `
(function () {
  var select = document.getElementById('customer');
  var pendingList = document.getElementById('pending');
  var loginList = document.getElementById('logins');
  var historyList = document.getElementById('history');
  var notice = document.getElementById('notice');
  var cards = {};
  var loginCards = {};
  var SHARES = { name: 'name', phoneNumber: 'phone number', email: 'e-mail', address: 'address',
                 birthDate: 'birth date', delegatedConsents: 'club consents' };
  var clock = { now: Date.now(), speed: 1, at: Date.now() };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function money(amount) {
    if (!amount || typeof amount.value !== 'number') return '';
    try {
      return new Intl.NumberFormat('nb-NO', { style: 'currency', currency: amount.currency }).format(amount.value / 100);
    } catch (e) { return (amount.value / 100).toFixed(2) + ' ' + amount.currency; }
  }
  function sandboxNow() { return clock.now + (Date.now() - clock.at) * clock.speed; }
  function remaining(request) {
    var ms = Math.max(0, Date.parse(request.expiresAt) - sandboxNow());
    var seconds = Math.ceil(ms / 1000);
    return { ms: ms, text: Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0') };
  }
  function orderLines(payment) {
    var receipt = payment.request && payment.request.receipt;
    return receipt && Array.isArray(receipt.orderLines) ? receipt.orderLines : [];
  }

  function buildCard(payment) {
    var ref = payment.reference;
    var card = el('article', 'card');
    card.setAttribute('data-testid', 'payment-' + ref);
    card.setAttribute('aria-label', 'Payment request ' + ref);
    card.appendChild(el('div', 'merchant', payment.merchant));
    var description = payment.request && payment.request.paymentDescription;
    if (typeof description === 'string') card.appendChild(el('div', 'description', description));
    card.appendChild(el('div', 'amount', money(payment.amount)));
    var lines = orderLines(payment);
    if (lines.length > 0) {
      var table = el('table');
      table.setAttribute('aria-label', 'Receipt');
      lines.forEach(function (line) {
        var row = el('tr');
        var quantity = line.unitInfo && line.unitInfo.quantity ? line.unitInfo.quantity + ' \\u00d7 ' : '';
        row.appendChild(el('td', '', quantity + String(line.name)));
        var total = { currency: payment.amount.currency, value: line.isReturn ? -line.totalAmount : line.totalAmount };
        row.appendChild(el('td', 'sum', money(total)));
        table.appendChild(row);
      });
      card.appendChild(table);
    }
    var countdown = el('div', 'countdown');
    countdown.setAttribute('data-testid', 'countdown-' + ref);
    card.appendChild(countdown);
    var base = '/_sandbox/payments/' + encodeURIComponent(ref) + '/';
    card.appendChild(actionButtons('', ref, function (action) {
      return post(base + 'open').then(function () { return post(base + action); });
    }));
    return { card: card, countdown: countdown };
  }

  function buildLoginCard(login) {
    var id = login.authReqId;
    var card = el('article', 'card');
    card.setAttribute('data-testid', 'login-' + id);
    card.setAttribute('aria-label', 'Login request ' + (login.bindingMessage || id));
    card.appendChild(el('div', 'merchant', login.merchant + ' wants you to log in'));
    var shares = login.scopes.filter(function (scope) { return SHARES[scope]; })
      .map(function (scope) { return SHARES[scope]; });
    card.appendChild(el('div', 'description', shares.length ? 'Shares your ' + shares.join(', ') : 'Shares who you are'));
    if (login.bindingMessage) {
      card.appendChild(el('div', 'description', 'Check that the kiosk shows'));
      var binding = el('div', 'binding', login.bindingMessage);
      binding.setAttribute('data-testid', 'binding-' + id);
      card.appendChild(binding);
    }
    var boxes = login.consentsOffered.map(function (consent) {
      var label = el('label');
      var box = el('input');
      box.type = 'checkbox';
      box.value = consent.id;
      box.setAttribute('data-testid', 'consent-' + id + '-' + consent.id);
      label.appendChild(box);
      label.appendChild(el('span', '', consent.text));
      return { label: label, box: box };
    });
    if (boxes.length > 0) {
      var fieldset = el('fieldset');
      fieldset.appendChild(el('legend', '', 'Optional consents'));
      boxes.forEach(function (entry) { fieldset.appendChild(entry.label); });
      card.appendChild(fieldset);
    }
    var countdown = el('div', 'countdown');
    countdown.setAttribute('data-testid', 'login-countdown-' + id);
    card.appendChild(countdown);
    var base = '/_sandbox/logins/' + encodeURIComponent(id) + '/';
    card.appendChild(actionButtons(' login', 'login-' + id, function (action) {
      if (action === 'reject') return post(base + 'reject');
      var accepted = boxes.filter(function (entry) { return entry.box.checked; })
        .map(function (entry) { return entry.box.value; });
      return post(base + 'approve', { acceptedConsents: accepted });
    }));
    return { card: card, countdown: countdown };
  }

  /** Reject / Approve, named "Reject<suffix>" / "Approve<suffix>"; a tap disables both until the next look. */
  function actionButtons(suffix, testId, act) {
    var actions = el('div', 'actions');
    var buttons = ['reject', 'approve'].map(function (action) {
      var button = el('button', action, action === 'reject' ? 'Reject' + suffix : 'Approve' + suffix);
      button.type = 'button';
      button.setAttribute('data-testid', action + '-' + testId);
      button.addEventListener('click', function () {
        buttons.forEach(function (each) { each.disabled = true; });
        notice.textContent = '';
        act(action).catch(function (error) { notice.textContent = error.message; }).then(refresh);
      });
      actions.appendChild(button);
      return button;
    });
    return actions;
  }

  function post(path, body) {
    var init = { method: 'POST' };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      if (response.ok) return response.json();
      return response.json().then(function (body) { throw new Error(body.error || response.statusText); });
    });
  }

  /** Keeps one card per waiting request, in place, so a button never vanishes under a tap. */
  function reconcile(store, list, waiting, keyOf, build, statusOf) {
    var seen = {};
    waiting.forEach(function (request) {
      var key = keyOf(request);
      seen[key] = true;
      var entry = store[key];
      if (!entry) {
        entry = store[key] = build(request);
        list.appendChild(entry.card);
      }
      var left = remaining(request);
      entry.countdown.textContent = statusOf(request) + 'Expires in ' + left.text;
      entry.countdown.className = 'countdown' + (left.ms < 60000 ? ' soon' : '');
    });
    Object.keys(store).forEach(function (key) {
      if (!seen[key]) { store[key].card.remove(); delete store[key]; }
    });
  }
  function historyRow(title, detail, state, testId) {
    var row = el('div', 'card');
    var left = el('div');
    left.appendChild(el('div', 'merchant', title));
    left.appendChild(el('div', 'description', detail));
    var status = el('div', 'state ' + state, state);
    status.setAttribute('data-testid', testId);
    row.appendChild(left);
    row.appendChild(status);
    return row;
  }

  function render(payments, logins) {
    var waitingLogins = logins.filter(function (login) { return login.state === 'PENDING'; });
    reconcile(loginCards, loginList, waitingLogins, function (login) { return login.authReqId; },
      buildLoginCard, function () { return ''; });
    document.getElementById('no-logins').hidden = waitingLogins.length > 0;

    var pending = payments.filter(function (payment) { return payment.state === 'CREATED'; });
    reconcile(cards, pendingList, pending, function (payment) { return payment.reference; },
      buildCard, function (payment) { return payment.processing ? 'Opened. ' : ''; });
    pendingList.setAttribute('aria-busy', 'false');
    document.getElementById('no-pending').hidden = pending.length > 0;

    var done = payments.filter(function (payment) { return payment.state !== 'CREATED'; }).reverse().slice(0, 8);
    var answered = logins.filter(function (login) { return login.state !== 'PENDING'; }).reverse().slice(0, 4);
    historyList.replaceChildren.apply(historyList, answered.map(function (login) {
      return historyRow('Login ' + (login.bindingMessage || ''), login.merchant, login.state, 'login-status-' + login.authReqId);
    }).concat(done.map(function (payment) {
      return historyRow(money(payment.amount), payment.reference, payment.state, 'status-' + payment.reference);
    })));
  }

  /** A one-time payment QR: scanned by the signed-in customer, its payment then waits above like a push. */
  function scan(url) {
    notice.textContent = '';
    return post('/_sandbox/qr/scan', { url: url, msisdn: select.value })
      .catch(function (error) { notice.textContent = error.message; }).then(refresh);
  }
  document.getElementById('scan-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var field = document.getElementById('scan-url');
    if (field.value.trim()) scan(field.value.trim()).then(function () { field.value = ''; });
  });
  function renderSeen(codes) {
    var list = document.getElementById('seen');
    list.replaceChildren.apply(list, codes.map(function (code) {
      var item = el('li');
      item.appendChild(el('span', '', money(code.amount) + ' \u00b7 ' + code.merchant));
      var button = el('button', '', 'Scan');
      button.type = 'button';
      button.setAttribute('data-testid', 'scan-' + code.reference);
      button.setAttribute('aria-label', 'Scan the QR code of ' + money(code.amount));
      button.addEventListener('click', function () { button.disabled = true; scan(code.url); });
      item.appendChild(button);
      return item;
    }));
    document.getElementById('no-seen').hidden = codes.length > 0;
  }

  function refresh() {
    var msisdn = select.value;
    if (!msisdn) return Promise.resolve();
    var query = '?msisdn=' + encodeURIComponent(msisdn);
    return Promise.all([
      fetch('/_sandbox/payments' + query).then(function (r) { return r.json(); }),
      fetch('/_sandbox/clock').then(function (r) { return r.json(); }),
      fetch('/_sandbox/logins' + query).then(function (r) { return r.json(); }),
      fetch('/_sandbox/qr').then(function (r) { return r.json(); }),
    ]).then(function (results) {
      clock = { now: results[1].now, speed: results[1].speed, at: Date.now() };
      if (select.value === msisdn) render(results[0], results[2]);
      renderSeen(results[3]);
    }).catch(function () { notice.textContent = 'The sandbox is not answering.'; });
  }

  function choose(msisdn) {
    [cards, loginCards].forEach(function (store) {
      Object.keys(store).forEach(function (key) { store[key].card.remove(); delete store[key]; });
    });
    historyList.replaceChildren();
    var url = new URL(location.href);
    url.searchParams.set('msisdn', msisdn);
    history.replaceState(null, '', url);
    refresh();
  }

  fetch('/_sandbox/users?market=all').then(function (r) { return r.json(); }).then(function (users) {
    var wanted = new URL(location.href).searchParams.get('msisdn');
    users.forEach(function (user) {
      var option = el('option', '', user.name + ' (+' + user.msisdn + ')');
      option.value = user.msisdn;
      select.appendChild(option);
    });
    if (wanted && users.some(function (user) { return user.msisdn === wanted; })) select.value = wanted;
    select.addEventListener('change', function () { choose(select.value); });
    choose(select.value);
    setInterval(refresh, 1000);
  });
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox phone</title>
<style>${STYLE}</style>
</head>
<body>
<div class="phone">
  <header>
    <h1>Sandbox phone</h1>
    <label for="customer">Signed in as</label>
    <select id="customer" data-testid="customer-select"></select>
  </header>
  <main>
    <p id="notice" role="alert"></p>
    <h2 id="scan-heading">Scan with phone</h2>
    <form id="scan-form" class="scan" aria-labelledby="scan-heading">
      <input id="scan-url" data-testid="scan-url" type="url" aria-label="Link in the payment QR code"
             placeholder="Paste the QR code's link">
      <button id="scan" data-testid="scan" type="submit">Scan</button>
    </form>
    <ul id="seen" class="seen" aria-label="Payment QR codes on show"></ul>
    <p id="no-seen" class="empty">No payment QR code on show.</p>
    <h2 id="login-heading">Login requests</h2>
    <section id="logins" aria-labelledby="login-heading" aria-live="polite"></section>
    <p id="no-logins" class="empty">No login requests.</p>
    <h2 id="pending-heading">Payment requests</h2>
    <section id="pending" aria-labelledby="pending-heading" aria-live="polite" aria-busy="true"></section>
    <p id="no-pending" class="empty">Nothing to approve right now.</p>
    <h2 id="history-heading">Recent</h2>
    <section id="history" class="history" aria-labelledby="history-heading"></section>
  </main>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;

export function servePhonePage(): Reply {
  return {
    status: 200,
    body: PAGE,
    contentType: 'text/html; charset=utf-8',
    headers: {
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
    },
  };
}
