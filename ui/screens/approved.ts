import { css, html, nothing } from 'lit';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { formatDateTime, formatVatRate } from '../base/format.js';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

type Receipt = NonNullable<ScreenModel['receipt']>;
type SalesReceipt = NonNullable<Receipt['sales']>;

/** Paid. Thanks and Done on the left; the receipt on the right, scrolling if the basket was long. */
export class ApprovedScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .thanks {
        justify-content: center;
      }
      .thanks .btn {
        margin-top: var(--space);
        align-self: stretch;
        max-width: 22em;
      }
      /* As tall as its lines, up to the screen; then the lines scroll and total and VAT stay. */
      .receipt {
        align-self: center;
        display: flex;
        flex-direction: column;
        max-height: 100%;
        min-height: 0;
        font-size: var(--text-small);
      }
      .receipt > * {
        padding: var(--space) var(--gap);
      }
      header {
        display: grid;
        grid-template-columns: 1fr auto;
        align-items: baseline;
        gap: 0 var(--space);
        border-bottom: 1px dashed var(--control);
      }
      header .meta {
        grid-column: 2;
        text-align: right;
        white-space: nowrap;
      }
      h2 {
        grid-row: span 2;
        font-size: var(--text);
      }
      .meta {
        color: var(--ink-muted);
      }
      ul {
        flex: 0 1 auto;
        min-height: 0;
        list-style: none;
        overflow-y: auto;
        overscroll-behavior: contain;
        background: var(--scroll-surface);
      }
      .row {
        display: flex;
        justify-content: space-between;
        gap: var(--space);
        padding: 3px 0;
      }
      .row > :first-child {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      footer {
        border-top: 1px dashed var(--control);
      }
      .total {
        font-size: var(--text);
        font-weight: 750;
      }
      .saving {
        color: var(--success);
        font-size: var(--text-small);
        padding-top: 0;
      }
      .vat {
        color: var(--ink-muted);
      }
      /* The Salgskvittering's seller block takes the heading's row across; number and time below it. */
      header.sales {
        grid-template-columns: 1fr;
      }
      .not-valid {
        margin: 0;
        padding: 0.2em 0.5em;
        border: 2px solid var(--danger);
        background: var(--danger-soft);
        color: var(--ink);
        font-weight: 750;
      }
      header.sales h2 {
        grid-row: auto;
      }
      header.sales .meta {
        grid-column: 1;
        text-align: left;
        white-space: normal;
      }
      .seller-name {
        font-weight: 650;
      }
      .paid {
        margin-top: var(--space);
      }
      /* The payment type is the law's, so it wraps on a narrow card rather than losing its end. */
      .paid .row > :first-child {
        white-space: normal;
      }
    `,
  ];

  override render() {
    const { t } = this;
    const receipt = this.model.receipt;
    return html`<section class="screen ${receipt ? 'split' : 'center'}">
      <div class="stack thanks">
        <div class="badge good">${icon('check')}</div>
        <h1 class="title">${t.approved.title}</h1>
        <p class="lead">${t.approved.detail}</p>
        ${receipt ? html`<p class="amount">${this.money(receipt.total)}</p>` : nothing}
        ${receipt ? this.savedNote(receipt.savings) : nothing}
        <button class="btn primary" data-testid="done" @click=${() => this.send({ type: 'done' })}>
          ${t.approved.done}
        </button>
      </div>
      ${receipt ? this.receipt(receipt) : nothing}
    </section>`;
  }

  private receipt(receipt: Receipt) {
    const { t } = this;
    const { locale } = t;
    return html`<article class="receipt card" data-testid="receipt" aria-labelledby="receipt-title">
      ${receipt.sales ? this.salesHeader(receipt.sales) : this.header(receipt)}
      <!-- A long receipt scrolls: focusable so it can be scrolled without a touch (WCAG 2.1.1). -->
      <ul tabindex="0" aria-labelledby="receipt-title">
        ${receipt.lines.map(
          (line) => html`<li class="row">
            <span>${line.quantity} × ${line.name}</span><span class="num">${this.money(line.lineTotal)}</span>
          </li>
          ${
            line.discount > 0
              ? html`<li class="row saving"><span>${t.club.lineSaving(this.money(line.discount))}</span></li>`
              : nothing
          }`,
        )}
      </ul>
      <footer>
        <p class="row total"><span>${t.approved.total}</span><span class="num">${this.money(receipt.total)}</span></p>
        ${this.savedNote(receipt.savings)}
        <p class="label">${t.approved.vatIncluded}</p>
        ${[...receipt.vat]
          .sort((a, b) => b.rate - a.rate)
          .map(
            (vat) => html`<p class="row vat">
            <span>${t.approved.vatRate(formatVatRate(vat.rate, locale))}</span
            ><span class="num">${this.money(vat.amount)}</span>
          </p>`,
          )}
        ${receipt.sales ? this.payment(receipt.sales) : nothing}
      </footer>
    </article>`;
  }

  private header(receipt: Receipt) {
    const { t } = this;
    return html`<header>
      <h2 id="receipt-title">${t.approved.receipt}</h2>
      <p class="meta num">
        ${t.approved.receiptNumber} <span data-testid="receipt-number">${receipt.receiptNumber}</span>
      </p>
      <p class="meta num">${formatDateTime(receipt.paidAt, t.locale)}</p>
    </header>`;
  }

  /** A cash register's Salgskvittering: the seller, then number, till and the till's local time. */
  private salesHeader(sales: SalesReceipt) {
    const { t } = this;
    return html`<header class="sales" data-testid="sales-receipt">
      <h2 id="receipt-title">${sales.heading}</h2>
      ${sales.training ? html`<p class="not-valid" data-testid="training-receipt">${t.training.notValid}</p>` : nothing}
      <div class="seller" data-testid="seller">
        <p class="seller-name">${sales.seller.name}</p>
        <p class="meta num">${sales.seller.registration}</p>
        <p class="meta">${sales.seller.address.join(', ')}</p>
      </div>
      <p class="meta num">
        ${t.approved.receiptNumber} <span data-testid="receipt-number">${sales.receiptNumber}</span>
        · ${t.approved.till} ${sales.kioskId}
      </p>
      <p class="meta num">${sales.issued.date} ${sales.issued.time}</p>
    </header>`;
  }

  private payment(sales: SalesReceipt) {
    const { t } = this;
    return html`<div class="paid" data-testid="payment">
      <p class="row">
        <span>${t.approved.paidWith(sales.payment.type)}</span
        ><span class="num">${this.money(sales.payment.amount)}</span>
      </p>
      <p class="meta num">${t.approved.paymentReference} ${sales.payment.reference}</p>
    </div>`;
  }
}
