import { css, html, nothing, type PropertyValues } from 'lit';
import type { StaffPage } from '../../contracts/screen-model.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons } from '../base/styles.js';
import { icon } from '../parts/icons.js';

type Pick = Extract<StaffPage, { name: 'return-pick' }>;

/**
 * The lines of an earlier sale and how many of each come back. The counts are the screen's own until
 * staff confirm; the daemon checks them again (never more than was paid and not yet refunded).
 */
export class StaffReturnPick extends KioskElement {
  static override properties = { page: { attribute: false }, counts: { state: true } };

  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        display: grid;
        gap: var(--space);
        min-height: 0;
        grid-template-rows: minmax(0, 1fr) auto;
      }
      ul {
        list-style: none;
        overflow-y: auto;
        display: grid;
        gap: calc(var(--space) * 0.5);
        align-content: start;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        gap: var(--space);
        padding: calc(var(--space) * 0.5) var(--space);
        background: var(--surface);
        border-radius: var(--radius);
      }
      .name {
        font-weight: 650;
        overflow-wrap: anywhere;
      }
      .muted {
        color: var(--ink-muted);
        font-size: var(--text-small);
      }
      .stepper {
        display: flex;
        align-items: center;
        gap: calc(var(--space) * 0.5);
      }
      .count {
        min-width: 2ch;
        text-align: center;
        font-weight: 750;
      }
      .confirm {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--space);
      }
    `,
  ];

  declare page: Pick;
  declare counts: Map<number, number>;

  constructor() {
    super();
    this.counts = new Map();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('page')) this.counts = new Map();
  }

  override render() {
    const { t, page } = this;
    const refund = page.lines.reduce((sum, l) => sum + (this.counts.get(l.index) ?? 0) * l.unitPrice, 0);
    const chosen = [...this.counts].filter(([, quantity]) => quantity > 0);
    return html`<ul>
        ${page.lines.map((line) => {
          const count = this.counts.get(line.index) ?? 0;
          return html`<li data-testid="return-line-${line.index}">
            <div>
              <p class="name">${line.quantity} × ${line.name}</p>
              <p class="muted num">${this.money(line.unitPrice)} · ${t.staff.returnable(line.returnable)}</p>
            </div>
            <div class="stepper">
              <button
                class="btn secondary round"
                aria-label=${t.staff.decrease(line.name)}
                data-testid="return-less-${line.index}"
                ?disabled=${count === 0}
                @click=${() => this.set(line.index, count - 1)}
              >
                ${icon('minus')}
              </button>
              <span class="count num" data-testid="return-count-${line.index}">${count}</span>
              <button
                class="btn secondary round"
                aria-label=${t.staff.increase(line.name)}
                data-testid="return-more-${line.index}"
                ?disabled=${count >= line.returnable}
                @click=${() => this.set(line.index, count + 1)}
              >
                ${icon('plus')}
              </button>
            </div>
          </li>`;
        })}
      </ul>
      <div class="confirm">
        <span class="num" data-testid="return-total">${t.staff.refundTotal(this.money(refund))}</span>
        ${
          refund > page.refundable
            ? html`<span class="muted">${t.staff.refundable(this.money(page.refundable))}</span>`
            : nothing
        }
        <button
          class="btn primary"
          data-testid="return-confirm"
          ?disabled=${chosen.length === 0 || refund > page.refundable}
          @click=${() =>
            this.send({
              type: 'staff',
              action: {
                do: 'return-confirm',
                lines: chosen.map(([index, quantity]) => ({ index, quantity })),
              },
            })}
        >
          ${t.staff.confirmReturn}
        </button>
      </div>`;
  }

  private set(index: number, quantity: number): void {
    this.counts = new Map(this.counts).set(index, quantity);
  }
}
