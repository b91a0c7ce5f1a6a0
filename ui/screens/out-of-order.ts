import { css, html, nothing } from 'lit';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/**
 * The kiosk found a fault only staff can fix (a sales unit Vipps refuses, wrong keys). The customer is
 * told calmly that no payment can be taken here and to ask staff; nothing to press. Below, set apart and
 * quieter, staff read the fault's code and what to do, in the words HQ's alert carries.
 */
export class OutOfOrderScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .center {
        gap: var(--space);
      }
      .badge {
        width: clamp(64px, 14vmin, 168px);
        color: var(--ink-muted);
      }
      .staff {
        display: grid;
        gap: calc(var(--space) * 0.5);
        width: min(100%, 38em);
        margin-top: var(--space);
        padding: var(--space) calc(var(--space) * 1.4);
        text-align: start;
        font-size: var(--text-small);
      }
      .staff h2 {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0 var(--space);
        font-size: inherit;
        font-weight: 750;
      }
      .code {
        font-family: ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', monospace;
        font-weight: 650;
        color: var(--ink-muted);
        overflow-wrap: anywhere;
      }
      .message {
        overflow-wrap: anywhere;
        text-wrap: pretty;
      }
    `,
  ];

  override render() {
    const { outOfOrder: text } = this.t;
    return html`<section class="screen center" role="alert">
      <div class="badge">${icon('wrench')}</div>
      <h1 class="title">${text.title}</h1>
      <p class="lead">${text.detail}</p>
      ${this.staffNote()}
    </section>`;
  }

  private staffNote() {
    const fault = this.model.outOfOrder;
    if (!fault) return nothing;
    return html`<div class="staff card" data-testid="out-of-order-staff">
      <h2>
        <span>${this.t.outOfOrder.forStaff}</span>
        <span class="code" data-testid="out-of-order-code">${this.t.outOfOrder.code(fault.code)}</span>
      </h2>
      <p class="message" data-testid="out-of-order-message">${fault.message}</p>
    </div>`;
  }
}
