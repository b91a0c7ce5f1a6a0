import { css, html, nothing } from 'lit';
import type { StaffAction, StaffModel, StaffPage } from '../../contracts/screen-model.js';
import { ScreenElement } from './screen-element.js';

/**
 * Staff mode: the PIN after a staff card, then the menu and what it opens (a report, a receipt, a
 * return). Plain and dense rather than inviting: it is for staff, who are told by the time-out and the
 * log-out button that customers get the kiosk back.
 */
export class StaffScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .screen {
        grid-template-rows: auto minmax(0, 1fr);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: calc(var(--space) * 0.5) var(--space);
      }
      .bar h1 {
        font-size: var(--text-large);
      }
      .flags {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--space) * 0.5);
      }
      .flag {
        padding: 0.2em 0.7em;
        border-radius: var(--radius);
        background: var(--accent-soft);
        color: var(--accent-ink);
        font-size: var(--text-small);
        font-weight: 650;
      }
      .body {
        min-height: 0;
        display: grid;
        gap: var(--space);
        align-content: start;
        justify-items: center;
        overflow-y: auto;
      }
      .notice {
        width: min(100%, 40em);
        padding: calc(var(--space) * 0.6) var(--space);
        border-radius: var(--radius);
        background: var(--accent-soft);
        color: var(--accent-ink);
        font-weight: 650;
        overflow-wrap: anywhere;
      }
      .menu {
        width: min(100%, 60em);
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 15em), 1fr));
        gap: var(--space);
      }
      .menu .btn {
        min-height: var(--tap-primary);
      }
      pre {
        width: min(100%, 46ch);
        max-height: 100%;
        overflow: auto;
        padding: var(--space);
        background: var(--surface);
        border-radius: var(--radius);
        font-family: ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', monospace;
        font-size: clamp(11px, 1.6vmin, 18px);
        white-space: pre;
      }
      staff-receipt {
        width: min(100%, 34em);
      }
      staff-return-pick {
        width: min(100%, 44em);
        max-height: 100%;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space);
        justify-content: center;
      }
    `,
  ];

  override render() {
    const staff = this.model.staff;
    if (!staff) return nothing;
    const { t } = this;
    return html`<section class="screen" data-page=${staff.page.name}>
      <div class="bar">
        <h1 data-testid="staff-title">
          ${
            staff.page.name === 'pin'
              ? t.staff.pinTitle(staff.employee.name)
              : `${t.staff.title} · ${t.staff.loggedInAs(staff.employee.name)}`
          }
        </h1>
        <div class="flags">
          ${staff.training ? html`<span class="flag" data-testid="flag-training">${t.staff.trainingOn}</span>` : nothing}
          ${staff.outOfOrder ? html`<span class="flag" data-testid="flag-out-of-order">${t.staff.outOfOrderOn}</span>` : nothing}
        </div>
      </div>
      <div class="body">
        ${this.notice(staff)} ${this.page(staff, staff.page)}
      </div>
    </section>`;
  }

  private notice(staff: StaffModel) {
    const { notice, page } = staff;
    if (!notice) return nothing;
    const text =
      notice.code === 'wrong-pin' && page.name === 'pin'
        ? this.t.staff.wrongPin(page.attemptsLeft)
        : notice.message;
    return html`<p class="notice" role="alert" data-testid="staff-notice">${text}</p>`;
  }

  private page(staff: StaffModel, page: StaffPage) {
    const { t } = this;
    switch (page.name) {
      case 'pin':
        return html`<p class="lead">${t.staff.pinDetail} ${t.staff.attemptsLeft(page.attemptsLeft)}</p>
          <digit-pad
            .model=${this.model}
            masked
            .minLength=${4}
            .maxLength=${8}
            .label=${t.staff.pinLabel}
            .submitLabel=${t.staff.logIn}
            @digits=${(event: CustomEvent<string>) => this.act({ do: 'pin', pin: event.detail })}
          ></digit-pad>
          ${this.button('staff-cancel', t.staff.cancel, { do: 'log-out' })}`;
      case 'menu':
        return html`<div class="menu">
          ${this.button('staff-x', t.staff.xReport, { do: 'report', kind: 'x' })}
          ${this.button('staff-z', t.staff.zReport, { do: 'report', kind: 'z' })}
          ${this.button('staff-copy', t.staff.copy, { do: 'copy' })}
          ${this.button('staff-return', t.staff.returnSale, { do: 'return' })}
          ${this.button('staff-training', t.staff.training(staff.training), { do: 'training', on: !staff.training })}
          ${this.button('staff-out-of-order', t.staff.outOfOrder(staff.outOfOrder), {
            do: 'out-of-order',
            on: !staff.outOfOrder,
          })}
          ${this.button('staff-log-out', t.staff.logOut, { do: 'log-out' }, 'primary')}
        </div>`;
      case 'report':
        return html`<pre data-testid="staff-report">${page.text}</pre>
          ${this.back()}`;
      case 'receipt':
        return html`<staff-receipt .model=${this.model} .receipt=${page.receipt}></staff-receipt>
          ${this.back()}`;
      case 'return-find':
        return html`<p class="lead">${t.staff.findDetail}</p>
          <digit-pad
            .model=${this.model}
            .maxLength=${20}
            .label=${t.staff.receiptNumber}
            .submitLabel=${t.staff.find}
            @digits=${(event: CustomEvent<string>) =>
              this.act({ do: 'return-find', receiptNumber: event.detail })}
          ></digit-pad>
          ${this.back()}`;
      case 'return-pick':
        return html`<h2 data-testid="return-title">${t.staff.pickTitle(page.receiptNumber)}</h2>
          <staff-return-pick .model=${this.model} .page=${page}></staff-return-pick>
          ${this.back()}`;
    }
  }

  private back() {
    return html`<div class="row">
      ${this.button('staff-menu', this.t.staff.menu, { do: 'menu' })}
      ${this.button('staff-log-out', this.t.staff.logOut, { do: 'log-out' })}
    </div>`;
  }

  private button(testid: string, label: string, action: StaffAction, kind = 'secondary') {
    return html`<button class="btn ${kind} large" data-testid=${testid} @click=${() => this.act(action)}>
      ${label}
    </button>`;
  }

  private act(action: StaffAction): void {
    this.send({ type: 'staff', action });
  }
}
