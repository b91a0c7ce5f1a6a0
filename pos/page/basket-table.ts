import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { Currency } from '../../contracts/vipps-types.js';
import type { PricedBasket } from '../sale/basket.js';
import type { RegisterAction } from '../sale/register-model.js';
import { ActionEvent } from './action-event.js';
import { formatMoney, formatVatRate } from './format.js';
import type { CashierMessages } from './i18n/index.js';
import { cashierStyles } from './styles.js';

/** The basket as a table: ware, quantity (editable until the payment is sent), price, VAT, amount. */
export class BasketTable extends LitElement {
  static override properties: PropertyDeclarations = {
    basket: { attribute: false },
    currency: { attribute: false },
    t: { attribute: false },
    locked: { type: Boolean },
  };
  static override styles = [
    cashierStyles,
    css`
      :host {
        display: block;
        min-height: 0;
        padding: 0;
        background: none;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 0.35em 0.4em;
        border-bottom: 1px solid var(--line);
        vertical-align: middle;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      input {
        width: 4.5em;
        text-align: right;
      }
      tfoot th,
      tfoot td {
        border-bottom: none;
      }
      .total {
        font-size: 1.3em;
        font-weight: 700;
      }
      .member {
        display: block;
        color: var(--success);
        font-size: 0.85em;
      }
    `,
  ];

  declare basket: PricedBasket;
  declare currency: Currency;
  declare t: CashierMessages;
  declare locked: boolean;

  private money(minor: number): string {
    return formatMoney(minor, this.currency, this.t.locale);
  }

  /** A saving as one piece of text, so the sign never parts from its amount. */
  private minus(minor: number): string {
    return `−${this.money(minor)}`;
  }

  private act(action: RegisterAction): void {
    this.dispatchEvent(new ActionEvent(action));
  }

  override render() {
    const { t, basket } = this;
    if (basket.lines.length === 0)
      return html`<p class="muted" data-testid="basket-empty">${t.basket.empty}</p>`;
    return html`<table data-testid="basket">
      <thead>
        <tr>
          <th scope="col">${t.basket.ware}</th>
          <th scope="col" class="num">${t.basket.quantity}</th>
          <th scope="col" class="num">${t.basket.unitPrice}</th>
          <th scope="col" class="num">${t.basket.vat}</th>
          <th scope="col" class="num">${t.basket.total}</th>
          <th scope="col"><span class="visually-hidden">${t.basket.removeHeader}</span></th>
        </tr>
      </thead>
      <tbody>
        ${basket.lines.map(
          (line) => html`<tr data-testid=${`line-${line.gtin}`}>
            <th scope="row">
              ${line.name}
              ${
                line.discount > 0
                  ? html`<span class="member">${t.basket.memberPrice}
                    ${this.minus(line.discount)}</span>`
                  : nothing
              }
            </th>
            <td class="num">
              <input
                type="number"
                min="0"
                max="99"
                inputmode="numeric"
                data-testid=${`line-${line.gtin}-quantity`}
                aria-label=${t.basket.quantityOf(line.name)}
                .value=${String(line.quantity)}
                ?disabled=${this.locked}
                @change=${(event: Event) =>
                  this.act({
                    type: 'set-quantity',
                    gtin: line.gtin,
                    quantity: Number((event.target as HTMLInputElement).value),
                  })}
              />
            </td>
            <td class="num">${this.money(line.unitPrice)}</td>
            <td class="num">${formatVatRate(line.vatRate, t.locale)}</td>
            <td class="num">${this.money(line.total)}</td>
            <td>
              <button
                type="button"
                data-testid=${`line-${line.gtin}-remove`}
                aria-label=${t.basket.remove(line.name)}
                ?disabled=${this.locked}
                @click=${() => this.act({ type: 'set-quantity', gtin: line.gtin, quantity: 0 })}
              >
                ×
              </button>
            </td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        ${
          basket.savings > 0
            ? html`<tr>
              <th scope="row" colspan="4">${t.basket.savings}</th>
              <td class="num" data-testid="basket-savings">${this.minus(basket.savings)}</td>
              <td></td>
            </tr>`
            : nothing
        }
        <tr class="total">
          <th scope="row" colspan="4">${t.basket.toPay} (${t.basket.items(basket.itemCount)})</th>
          <td class="num" data-testid="basket-total">${this.money(basket.total)}</td>
          <td></td>
        </tr>
        <tr>
          <th scope="row" colspan="4" class="muted">${t.basket.vatIncluded}</th>
          <td class="num muted" data-testid="basket-vat">${this.money(basket.vat)}</td>
          <td></td>
        </tr>
      </tfoot>
    </table>`;
  }
}
