import { css, html, nothing } from 'lit';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import { formatVatRate } from '../base/format.js';
import { KioskElement } from '../base/kiosk-element.js';

/**
 * A receipt staff mode made: the copy of the last receipt (KOPI) or a Returkvittering, as the law words
 * it, with the training mark when made in training mode. For staff to read and hand over, so plain.
 */
export class StaffReceipt extends KioskElement {
  static override properties = { receipt: { attribute: false } };

  static override styles = [
    KioskElement.styles,
    css`
      :host {
        display: block;
        font-size: var(--text-small);
      }
      article {
        display: grid;
        gap: 0.3em;
        padding: var(--space) var(--gap);
        background: var(--surface);
        border-radius: var(--radius);
      }
      h2 {
        font-size: var(--text);
      }
      .mark {
        font-weight: 800;
        letter-spacing: 0.08em;
      }
      .row {
        display: flex;
        justify-content: space-between;
        gap: var(--space);
      }
      .muted {
        color: var(--ink-muted);
      }
      .total {
        font-weight: 750;
        border-top: 1px dashed var(--control);
        padding-top: 0.3em;
      }
    `,
  ];

  declare receipt: SalesReceipt;

  override render() {
    const { receipt: r, t } = this;
    return html`<article data-testid="staff-receipt">
      ${r.copy ? html`<p class="mark" data-testid="copy-mark">${t.staff.copyMark}</p>` : nothing}
      ${r.training ? html`<p class="mark" data-testid="training-mark">${t.staff.trainingMark}</p>` : nothing}
      <h2>${r.heading}</h2>
      ${r.returnOf ? html`<p>${t.staff.returnOf(r.returnOf)}</p>` : nothing}
      <p>${r.seller.name} · ${r.seller.registration}</p>
      <p class="muted">${r.seller.address.join(', ')}</p>
      <p class="muted num">
        ${t.approved.receiptNumber} <span data-testid="staff-receipt-number">${r.receiptNumber}</span> ·
        ${t.approved.till} ${r.kioskId} · ${r.issued.date} ${r.issued.time}
      </p>
      ${r.lines.map(
        (line) =>
          html`<p class="row"><span>${line.quantity} × ${line.name}</span><span class="num">${this.money(line.amount)}</span></p>`,
      )}
      <p class="row total"><span>${t.staff.total}</span><span class="num">${this.money(r.total)}</span></p>
      ${r.vat.map(
        (vat) =>
          html`<p class="row muted"><span>${t.staff.vat(formatVatRate(vat.rate, t.locale))}</span><span class="num">${this.money(vat.amount)}</span></p>`,
      )}
      <p class="row"><span>${r.heading === 'Returkvittering' ? t.staff.refundedWith(r.payment.type) : t.approved.paidWith(r.payment.type)}</span><span class="num">${this.money(r.payment.amount)}</span></p>
      <p class="muted num">${t.approved.paymentReference} ${r.payment.reference}</p>
    </article>`;
  }
}
