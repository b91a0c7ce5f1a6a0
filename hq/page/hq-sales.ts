import { html, LitElement, nothing } from 'lit';
import type { SalesSeries } from '../web/sales-series.js';
import { getJson } from './api.js';
import { money, today } from './format.js';

// Sales per hour or per day, per kiosk, as a chart and a table; beside each kiosk's sum of sales, the
// total of its Z reports in the period, so a person sees at once whether they agree.

export class HqSales extends LitElement {
  static override properties = {
    series: { state: true },
    problem: { state: true },
  };

  declare series: SalesSeries | undefined;
  declare problem: string;

  constructor() {
    super();
    this.series = undefined;
    this.problem = '';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load('day', today(), today());
  }

  private async load(by: string, from: string, to: string): Promise<void> {
    try {
      this.series = await getJson<SalesSeries>(`/api/sales?${new URLSearchParams({ by, from, to })}`);
      this.problem = '';
    } catch (error) {
      this.problem = (error as Error).message;
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    void this.load(String(form.get('by')), String(form.get('from')), String(form.get('to')));
  }

  override render() {
    const s = this.series;
    return html`
      <h2>Sales</h2>
      <form class="filters" @submit=${(e: SubmitEvent) => this.submit(e)}>
        <label>Per <select name="by"><option value="day">day</option><option value="hour" ?selected=${s?.by === 'hour'}>hour</option></select></label>
        <label>From <input type="date" name="from" required .value=${s?.from ?? today()} /></label>
        <label>To <input type="date" name="to" required .value=${s?.to ?? today()} /></label>
        <button class="primary" type="submit">Show</button>
      </form>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${s ? this.figures(s) : nothing}
    `;
  }

  private figures(s: SalesSeries) {
    const kiosks = s.kiosks.filter((k) => k.sales.count > 0);
    return html`
      ${
        kiosks.length === 0
          ? html`<p>No sales in this period.</p>`
          : html`<figure>
            <figcaption>Amount sold per ${s.by} and kiosk (NOK)</figcaption>
            <hq-chart label="Amount sold per ${s.by}, ${kiosks.length} kiosk(s), from ${s.from} to ${s.to}" unit="NOK"
              .series=${kiosks.map((k) => `${k.site}/${k.device}`)}
              .data=${[s.buckets, ...kiosks.map((k) => k.amounts.map((a) => a / 100))]}></hq-chart>
          </figure>`
      }
      <table data-testid="sales-totals">
        <caption>Totals from ${s.from} to ${s.to} (${s.timeZone})</caption>
        <thead>
          <tr><th scope="col">Site</th><th scope="col">Kiosk</th><th scope="col" class="num">Sales</th>
          <th scope="col" class="num">Sum of sales</th><th scope="col" class="num">Z reports</th>
          <th scope="col" class="num">Z reports' total</th></tr>
        </thead>
        <tbody>
          ${s.kiosks.map(
            (k) => html`<tr data-kiosk="${k.site}/${k.device}">
              <td>${k.site}</td><td>${k.device}</td><td class="num">${k.sales.count}</td>
              <td class="num" data-field="sum">${money(k.sales.amount)}</td>
              <td class="num">${k.zReports.count === 0 ? 'none' : k.zReports.numbers.map((n) => `Z ${n}`).join(', ')}</td>
              <td class="num" data-field="z">${k.zReports.count === 0 ? '–' : money(k.zReports.amount)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}
