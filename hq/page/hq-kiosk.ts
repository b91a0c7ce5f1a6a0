import { html, LitElement, nothing } from 'lit';
import type { KioskDetail } from '../web/fleet-queries.js';
import type { FleetRow } from '../web/fleet-row.js';
import { getJson, postJson } from './api.js';
import { money, time, yesNo } from './format.js';

// One kiosk: its state now, the commands an operator may send (and the kiosk's answer), its status
// timeline, health plots, sales and alerts over the last 24 hours.

const BUTTONS: Array<{ label: string; name: string; args: Record<string, string | number> }> = [
  { label: 'Identify (blink 10 s)', name: 'identify', args: { seconds: 10 } },
  { label: 'Maintenance on', name: 'maintenance', args: { state: 'on' } },
  { label: 'Maintenance off', name: 'maintenance', args: { state: 'off' } },
  { label: 'Reload catalog', name: 'reload-catalog', args: {} },
  { label: 'Reboot when idle', name: 'reboot', args: {} },
  { label: 'X report', name: 'report', args: { kind: 'x' } },
  { label: 'Z report', name: 'report', args: { kind: 'z' } },
];

export class HqKiosk extends LitElement {
  static override properties = {
    site: { attribute: false },
    device: { attribute: false },
    role: { attribute: false },
    row: { attribute: false },
    detail: { state: true },
    problem: { state: true },
    answer: { state: true },
    busy: { state: true },
  };

  declare site: string;
  declare device: string;
  declare role: string;
  declare row: FleetRow | undefined;
  declare detail: KioskDetail | undefined;
  declare problem: string;
  declare answer: string;
  declare busy: boolean;

  constructor() {
    super();
    this.site = '';
    this.device = '';
    this.role = '';
    this.row = undefined;
    this.detail = undefined;
    this.problem = '';
    this.answer = '';
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('site') || changed.has('device')) void this.load();
  }

  private async load(): Promise<void> {
    this.detail = undefined;
    try {
      this.detail = await getJson<KioskDetail>(
        `/api/kiosks/${encodeURIComponent(this.site)}/${encodeURIComponent(this.device)}`,
      );
      this.problem = '';
    } catch (error) {
      this.problem = (error as Error).message;
    }
  }

  private async send(button: (typeof BUTTONS)[number]): Promise<void> {
    this.busy = true;
    this.answer = `Sending ${button.label}…`;
    try {
      const answer = await postJson<Record<string, unknown>>(
        `/api/kiosks/${encodeURIComponent(this.site)}/${encodeURIComponent(this.device)}/commands`,
        { name: button.name, args: button.args },
      );
      this.answer = `${button.label}: ${answer.ok === true ? 'done' : 'refused'}\n${JSON.stringify(answer.ok === true ? answer.result : answer.error, null, 2)}`;
    } catch (error) {
      this.answer = `${button.label}: ${(error as Error).message}`;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const row = this.row ?? this.detail?.row;
    return html`
      <h2>${this.site}/${this.device}</h2>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${
        row
          ? html`<p data-testid="kiosk-now">
            ${yesNo(row.online, 'Online', 'Offline')}; screen ${row.screen ?? '–'}; Vipps
            ${yesNo(row.vippsReachable, 'reachable', 'unreachable')}; scanner
            ${yesNo(row.scannerAttached, 'attached', 'missing')}; printer ${row.printer ?? 'none'}; outbox
            ${row.outboxDepth ?? '–'}; version ${row.version ?? '–'}
          </p>`
          : nothing
      }
      ${this.role === 'operator' ? this.commands() : html`<p>Commands are for operators.</p>`}
      ${this.detail ? this.history(this.detail) : html`<p>Loading…</p>`}
    `;
  }

  private commands() {
    return html`
      <h3>Commands</h3>
      <div class="commands">
        ${BUTTONS.map(
          (b) =>
            html`<button type="button" ?disabled=${this.busy} @click=${() => this.send(b)}>${b.label}</button>`,
        )}
      </div>
      <div class="answer" role="status" aria-live="polite" data-testid="answer">${this.answer}</div>
    `;
  }

  private history(detail: KioskDetail) {
    const [t, p99, rss, outbox, reconnects] = detail.health;
    return html`
      <h3>Health, last 24 hours</h3>
      <div class="charts">
        <figure><figcaption>Event-loop delay p99 (ms)</figcaption>
          <hq-chart label="Event-loop delay p99 in milliseconds, ${t.length} samples" unit="ms" .series=${['p99']} .data=${[t, p99]}></hq-chart></figure>
        <figure><figcaption>Memory (RSS, MB)</figcaption>
          <hq-chart label="Resident memory in megabytes, ${t.length} samples" unit="MB" .series=${['RSS']} .data=${[t, rss]}></hq-chart></figure>
        <figure><figcaption>Outbox depth</figcaption>
          <hq-chart label="Outbox depth, ${t.length} samples" unit="events" .series=${['outbox']} .data=${[t, outbox]}></hq-chart></figure>
        <figure><figcaption>Reconnects to the broker since the kiosk started</figcaption>
          <hq-chart label="Reconnects to the broker since the kiosk started, ${t.length} samples" unit="reconnects" .series=${['reconnects']} .data=${[t, reconnects]}></hq-chart></figure>
      </div>
      <h3>Status timeline</h3>
      ${
        detail.timeline.length === 0
          ? html`<p>Nothing in the last 24 hours.</p>`
          : html`<ol data-testid="timeline">${detail.timeline.map((e) => html`<li>${time(e.at)}: ${e.what}</li>`)}</ol>`
      }
      <table data-testid="sales">
        <caption>Sales, returns and reports, last 24 hours</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">What</th><th scope="col">Receipt / report</th><th scope="col">Reference</th><th scope="col" class="num">Amount</th></tr></thead>
        <tbody>
          ${detail.sales.map(
            (s) =>
              html`<tr><td>${time(s.at)}</td><td>${s.type}</td><td>${s.receipt ?? '–'}</td><td>${s.reference ?? '–'}</td><td class="num">${money(s.amount, s.currency)}</td></tr>`,
          )}
        </tbody>
      </table>
      <table>
        <caption>Alerts: open, and those of the last 24 hours</caption>
        <thead><tr><th scope="col">Raised</th><th scope="col">Cleared</th><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">From</th></tr></thead>
        <tbody>
          ${detail.alerts.map(
            (a) =>
              html`<tr><td>${time(a.raisedAt)}</td><td>${a.clearedAt === null ? 'open' : time(a.clearedAt)}</td><td>${a.severity}</td><td>${a.message} <small>(${a.code})</small></td><td>${a.source}</td></tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}
