import { html, LitElement, nothing } from 'lit';
import type { DayReconciliation } from '../reconcile/reconcile-day.js';
import { getJson } from './api.js';
import { money } from './format.js';

// A ledger date reconciled with Vipps (hq/reconcile, the same as `hq reconcile`): what matches, what
// Vipps settled that no kiosk reported, what a kiosk sold that Vipps has not settled.

export class HqReconcile extends LitElement {
  static override properties = {
    days: { state: true },
    problem: { state: true },
    busy: { state: true },
  };

  declare days: DayReconciliation[] | undefined;
  declare problem: string;
  declare busy: boolean;

  constructor() {
    super();
    this.days = undefined;
    this.problem = '';
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const date = String(new FormData(event.target as HTMLFormElement).get('date'));
    this.busy = true;
    try {
      this.days = await getJson<DayReconciliation[]>(`/api/reconcile?${new URLSearchParams({ date })}`);
      this.problem = '';
    } catch (error) {
      this.days = undefined;
      this.problem = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE');
    return html`
      <h2>Reconciliation with Vipps</h2>
      <form class="filters" @submit=${(e: SubmitEvent) => this.submit(e)}>
        <label>Ledger date <input type="date" name="date" required .value=${yesterday} /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>Reconcile</button>
      </form>
      <div role="status" aria-live="polite">${this.busy ? 'Asking Vipps…' : ''}</div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.days?.map((day) => this.day(day))}
    `;
  }

  private day(day: DayReconciliation) {
    const list = (
      caption: string,
      rows: Array<{ reference: string; movement: string; amount: number; where: string }>,
    ) =>
      html`<table>
        <caption>${caption} (${rows.length})</caption>
        <thead><tr><th scope="col">Reference</th><th scope="col">Movement</th><th scope="col" class="num">Amount</th><th scope="col">Where</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><td>${r.reference}</td><td>${r.movement}</td><td class="num">${money(r.amount, day.currency)}</td><td>${r.where}</td></tr>`)}</tbody>
      </table>`;
    return html`
      <h3>Ledger ${day.ledgerId}, ${day.date} (${day.currency})</h3>
      <p>Kiosks reported ${money(day.totals.reported, day.currency)}; Vipps settled ${money(day.totals.settled, day.currency)}; ${day.matched.length} matched.</p>
      ${list(
        'Settled by Vipps, never reported by a kiosk',
        day.settledNotReported.map((s) => ({ ...s, where: s.pspReferences.join(', ') })),
      )}
      ${list(
        'Sold by a kiosk, not settled by Vipps',
        day.reportedNotSettled.map((r) => ({ ...r, where: r.kiosk })),
      )}
      ${list(
        'Amounts that differ',
        day.disagreeing.map((d) => ({
          reference: d.reference,
          movement: d.movement,
          amount: d.settled,
          where: `kiosk ${money(d.reported, day.currency)}`,
        })),
      )}
    `;
  }
}
