import { css, html, nothing } from 'lit';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { formatDateTime, formatVatRate } from '../base/format.js';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

type Receipt = NonNullable<ScreenModel['receipt']>;

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
      <header>
        <h2 id="receipt-title">${t.approved.receipt}</h2>
        <p class="meta num">
          ${t.approved.receiptNumber} <span data-testid="receipt-number">${receipt.receiptNumber}</span>
        </p>
        <p class="meta num">${formatDateTime(receipt.paidAt, locale)}</p>
      </header>
      <ul>
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
      </footer>
    </article>`;
  }
}
