import { html, LitElement, nothing } from 'lit';
import type { FleetAlert } from '../web/fleet-queries.js';
import type { FleetRow } from '../web/fleet-row.js';
import type { LiveStatus } from '../web/live-fleet.js';
import { getJson, postJson, useCsrfToken } from './api.js';
import { money, time, yesNo } from './format.js';

// The HQ page's shell: who is signed in, whether what it shows is live, the navigation, and the fleet
// at a glance kept current by the server's events. The other views are their own elements.

type Route =
  | { view: 'fleet' }
  | { view: 'kiosk'; site: string; device: string }
  | { view: 'sales' }
  | { view: 'reconcile' };

function route(hash: string): Route {
  const [, view, site, device] = hash.replace(/^#/, '').split('/');
  if (view === 'kiosk' && site && device)
    return { view: 'kiosk', site: decodeURIComponent(site), device: decodeURIComponent(device) };
  if (view === 'sales') return { view: 'sales' };
  if (view === 'reconcile') return { view: 'reconcile' };
  return { view: 'fleet' };
}

const TITLES: Record<Route['view'], string> = {
  fleet: 'Fleet',
  kiosk: 'Kiosk',
  sales: 'Sales',
  reconcile: 'Reconciliation',
};

export class HqApp extends LitElement {
  static override properties = {
    route: { state: true },
    user: { state: true },
    role: { state: true },
    rows: { state: true },
    alerts: { state: true },
    status: { state: true },
    connected: { state: true },
  };

  declare route: Route;
  declare user: string;
  declare role: string;
  declare rows: FleetRow[];
  declare alerts: FleetAlert[];
  declare status: LiveStatus | undefined;
  declare connected: boolean;
  private events: EventSource | undefined;
  private readonly onHash = () => {
    this.route = route(window.location.hash);
    document.title = `${TITLES[this.route.view]} – vipps-kiosk HQ`;
  };

  constructor() {
    super();
    this.route = route(window.location.hash);
    this.user = '';
    this.role = '';
    this.rows = [];
    this.alerts = [];
    this.status = undefined;
    this.connected = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.onHash();
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    this.events?.close();
  }

  private async start(): Promise<void> {
    const session = await getJson<{ user: string; role: string; csrfToken: string }>('/api/session');
    useCsrfToken(session.csrfToken);
    this.user = session.user;
    this.role = session.role;
    const fleet = await getJson<{ status: LiveStatus; rows: FleetRow[]; alerts: FleetAlert[] }>('/api/fleet');
    this.rows = fleet.rows;
    this.alerts = fleet.alerts;
    this.status = fleet.status;
    this.listen();
  }

  private listen(): void {
    const events = new EventSource('/api/live');
    this.events = events;
    events.addEventListener('open', () => {
      this.connected = true;
    });
    // EventSource reconnects by itself; until then what is shown is not current.
    events.addEventListener('error', () => {
      this.connected = false;
    });
    events.addEventListener('status', (e) => {
      this.status = JSON.parse((e as MessageEvent<string>).data) as LiveStatus;
    });
    events.addEventListener('fleet', (e) => {
      this.rows = JSON.parse((e as MessageEvent<string>).data) as FleetRow[];
      this.dataset.live = 'ready';
    });
    events.addEventListener('kiosk', (e) => {
      const row = JSON.parse((e as MessageEvent<string>).data) as FleetRow;
      const before = this.rows.find((r) => r.site === row.site && r.device === row.device);
      const others = this.rows.filter((r) => r !== before);
      this.rows = [...others, row].sort((a, b) =>
        `${a.site}/${a.device}`.localeCompare(`${b.site}/${b.device}`),
      );
      if (before?.openAlerts !== row.openAlerts) void this.reloadAlerts();
    });
  }

  private async reloadAlerts(): Promise<void> {
    this.alerts = (await getJson<{ alerts: FleetAlert[] }>('/api/fleet')).alerts;
  }

  private async signOut(): Promise<void> {
    await postJson('/logout', {}).catch(() => undefined);
    window.location.assign('/login');
  }

  private liveText(): { text: string; on: boolean } {
    const live = this.connected && this.status?.live === true;
    const source = this.status?.source === 'broker' ? 'from the broker' : 'from the database';
    return live
      ? { text: `Live ${source}`, on: true }
      : { text: `Stale: not receiving ${source}`, on: false };
  }

  override render() {
    const live = this.liveText();
    const nav = (view: Route['view'], href: string) =>
      html`<li><a href=${href} aria-current=${this.route.view === view ? 'page' : nothing}>${TITLES[view]}</a></li>`;
    return html`
      <a class="skip" href="#content" @click=${(e: Event) => this.skip(e)}>Skip to content</a>
      <header class="top">
        <h1>vipps-kiosk HQ</h1>
        <nav aria-label="HQ">
          <ul>
            ${nav('fleet', '#/fleet')} ${nav('sales', '#/sales')} ${nav('reconcile', '#/reconcile')}
          </ul>
        </nav>
        <div class="who">
          <span class="live ${live.on ? 'on' : 'off'}" role="status" data-testid="live">${live.text}</span>
          <span>${this.user} (${this.role})</span>
          <button type="button" @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="content" tabindex="-1">${this.view()}</main>
    `;
  }

  private skip(event: Event): void {
    event.preventDefault();
    this.querySelector<HTMLElement>('#content')?.focus();
  }

  private view() {
    switch (this.route.view) {
      case 'kiosk':
        return html`<hq-kiosk .site=${this.route.site} .device=${this.route.device} .role=${this.role}
          .row=${this.rows.find((r) => this.route.view === 'kiosk' && r.site === this.route.site && r.device === this.route.device)}></hq-kiosk>`;
      case 'sales':
        return html`<hq-sales></hq-sales>`;
      case 'reconcile':
        return html`<hq-reconcile></hq-reconcile>`;
      default:
        return this.fleet();
    }
  }

  private fleet() {
    return html`
      <h2>Fleet</h2>
      <table data-testid="fleet">
        <caption>Every kiosk HQ has heard from (${this.rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Site</th><th scope="col">Kiosk</th><th scope="col">Online</th>
            <th scope="col">Screen</th><th scope="col">Vipps</th><th scope="col">Scanner</th>
            <th scope="col">Printer</th><th scope="col">Last sale</th><th scope="col" class="num">Outbox</th>
            <th scope="col" class="num">Open alerts</th>
          </tr>
        </thead>
        <tbody>
          ${this.rows.map(
            (r) => html`<tr data-kiosk="${r.site}/${r.device}">
              <td>${r.site}</td>
              <td><a href="#/kiosk/${encodeURIComponent(r.site)}/${encodeURIComponent(r.device)}">${r.device}</a></td>
              <td class=${r.online === false ? 'bad' : r.online ? 'good' : ''}>${yesNo(r.online, 'online', 'offline')}${r.since === null ? '' : html`<br /><small>since ${time(r.since)}</small>`}</td>
              <td data-field="screen">${r.screen ?? '–'}</td>
              <td class=${r.vippsReachable === false ? 'bad' : ''}>${yesNo(r.vippsReachable, 'reachable', 'unreachable')}</td>
              <td class=${r.scannerAttached === false ? 'bad' : ''}>${yesNo(r.scannerAttached, 'attached', 'missing')}</td>
              <td class=${r.printer !== null && r.printer !== 'ready' ? 'warn' : ''}>${r.printer ?? 'none'}</td>
              <td data-field="last-sale">${r.lastSale ? html`${money(r.lastSale.amount, r.lastSale.currency)}<br /><small>${time(r.lastSale.at)}</small>` : '–'}</td>
              <td class="num ${r.degraded ? 'bad' : ''}">${r.outboxDepth ?? '–'}</td>
              <td class="num ${r.openAlerts > 0 ? 'bad' : ''}">${r.openAlerts}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>Open alerts</h2>
      ${
        this.alerts.length === 0
          ? html`<p>No open alerts.</p>`
          : html`<table>
              <caption>Open alerts, newest first</caption>
              <thead><tr><th scope="col">Kiosk</th><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">Since</th></tr></thead>
              <tbody>
                ${this.alerts.map(
                  (a) => html`<tr>
                    <td>${a.site}/${a.device}</td>
                    <td class=${a.severity === 'critical' ? 'bad' : 'warn'}>${a.severity}</td>
                    <td>${a.message} <small>(${a.code})</small></td>
                    <td>${time(a.raisedAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
    `;
  }
}
