// `GET /phone`: a person (or a Playwright test) plays the customer's phone. It polls the control API once a
// second and shows the selected test customer's payment requests with Approve / Reject.
//
// Self-contained on purpose (inline CSS and JS, no assets): it must work offline at a demo stand. All data
// goes into the DOM through textContent, never innerHTML, because payment text comes from request bodies.
// Cards are kept per reference and updated in place, so a button does not vanish under a click between polls.
// Stable test ids: customer-select, payment-<ref>, approve-<ref>, reject-<ref>, countdown-<ref>, status-<ref>.

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
  .history .card { padding: 12px 16px; display: flex; justify-content: space-between; gap: 12px; }
  .state { font-weight: 600; }
  .state.AUTHORIZED { color: var(--ok); }
  .state.ABORTED, .state.EXPIRED, .state.TERMINATED { color: var(--bad); }
  #notice { color: var(--bad); margin: 0 4px 12px; }
  #notice:empty { margin: 0; }
`;

// Plain string concatenation below: this code runs in the browser and is embedded in a TS template literal.
const SCRIPT = `
(function () {
  var select = document.getElementById('customer');
  var pendingList = document.getElementById('pending');
  var historyList = document.getElementById('history');
  var notice = document.getElementById('notice');
  var cards = {};
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
  function remaining(payment) {
    var ms = Math.max(0, Date.parse(payment.expiresAt) - sandboxNow());
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
    var actions = el('div', 'actions');
    var reject = el('button', 'reject', 'Reject');
    reject.type = 'button';
    reject.setAttribute('data-testid', 'reject-' + ref);
    var approve = el('button', 'approve', 'Approve');
    approve.type = 'button';
    approve.setAttribute('data-testid', 'approve-' + ref);
    reject.addEventListener('click', function () { decide(ref, 'reject', [approve, reject]); });
    approve.addEventListener('click', function () { decide(ref, 'approve', [approve, reject]); });
    actions.appendChild(reject);
    actions.appendChild(approve);
    card.appendChild(actions);
    return { card: card, countdown: countdown };
  }

  function post(path) {
    return fetch(path, { method: 'POST' }).then(function (response) {
      if (response.ok) return response.json();
      return response.json().then(function (body) { throw new Error(body.error || response.statusText); });
    });
  }
  function decide(ref, action, buttons) {
    buttons.forEach(function (button) { button.disabled = true; });
    notice.textContent = '';
    var base = '/_sandbox/payments/' + encodeURIComponent(ref) + '/';
    post(base + 'open')
      .then(function () { return post(base + action); })
      .catch(function (error) { notice.textContent = error.message; })
      .then(refresh);
  }

  function render(payments) {
    var pending = payments.filter(function (payment) { return payment.state === 'CREATED'; });
    var seen = {};
    pending.forEach(function (payment) {
      seen[payment.reference] = true;
      var entry = cards[payment.reference];
      if (!entry) {
        entry = cards[payment.reference] = buildCard(payment);
        pendingList.appendChild(entry.card);
      }
      var left = remaining(payment);
      entry.countdown.textContent = (payment.processing ? 'Opened. ' : '') + 'Expires in ' + left.text;
      entry.countdown.className = 'countdown' + (left.ms < 60000 ? ' soon' : '');
    });
    Object.keys(cards).forEach(function (ref) {
      if (!seen[ref]) { cards[ref].card.remove(); delete cards[ref]; }
    });
    pendingList.setAttribute('aria-busy', 'false');
    document.getElementById('no-pending').hidden = pending.length > 0;

    var done = payments.filter(function (payment) { return payment.state !== 'CREATED'; }).reverse().slice(0, 8);
    historyList.replaceChildren.apply(historyList, done.map(function (payment) {
      var row = el('div', 'card');
      var left = el('div');
      left.appendChild(el('div', 'merchant', money(payment.amount)));
      left.appendChild(el('div', 'description', payment.reference));
      var state = el('div', 'state ' + payment.state, payment.state);
      state.setAttribute('data-testid', 'status-' + payment.reference);
      row.appendChild(left);
      row.appendChild(state);
      return row;
    }));
  }

  function refresh() {
    var msisdn = select.value;
    if (!msisdn) return Promise.resolve();
    return Promise.all([
      fetch('/_sandbox/payments?msisdn=' + encodeURIComponent(msisdn)).then(function (r) { return r.json(); }),
      fetch('/_sandbox/clock').then(function (r) { return r.json(); }),
    ]).then(function (results) {
      clock = { now: results[1].now, speed: results[1].speed, at: Date.now() };
      if (select.value === msisdn) render(results[0]);
    }).catch(function () { notice.textContent = 'The sandbox is not answering.'; });
  }

  function choose(msisdn) {
    Object.keys(cards).forEach(function (ref) { cards[ref].card.remove(); delete cards[ref]; });
    historyList.replaceChildren();
    var url = new URL(location.href);
    url.searchParams.set('msisdn', msisdn);
    history.replaceState(null, '', url);
    refresh();
  }

  fetch('/_sandbox/users').then(function (r) { return r.json(); }).then(function (users) {
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
    <h2 id="pending-heading">Payment requests</h2>
    <p id="notice" role="alert"></p>
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
