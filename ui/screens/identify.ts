import { css, html, nothing } from 'lit';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/**
 * Who pays: the customer scans the personal QR in their app, types their number on the keypad, or asks
 * for a one-time payment QR on the screen to scan with their phone (no number needed, no club). In
 * attended mode the customer has not seen the basket on this screen before: the POS's lines are listed
 * under the amount, in the badge's place.
 */
export class IdentifyScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .left {
        display: grid;
        grid-template-rows: minmax(0, 1fr) auto;
        gap: var(--space);
        min-height: 0;
      }
      .left.with-lines {
        grid-template-rows: auto minmax(0, 1fr) auto;
      }
      /* Upright, the keypad does not fit beside the lines: it goes under them. */
      @media (orientation: portrait) {
        .screen.with-lines {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: minmax(0, 1fr) auto;
        }
      }
      .intro {
        justify-content: center;
      }
      .intro .badge {
        width: clamp(56px, 13vmin, 140px);
      }
      .due {
        display: flex;
        align-items: baseline;
        flex-wrap: wrap;
        gap: 0 0.5em;
        margin-top: var(--space);
      }
      .due .num {
        font-size: var(--text-large);
        font-weight: 750;
      }
      .back {
        justify-self: start;
      }
      .actions {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        align-items: stretch;
        gap: calc(var(--space) / 2) var(--space);
      }
      .show-qr {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        gap: 0.5em;
      }
      .show-qr svg {
        flex: none;
        width: 1.4em;
        height: 1.4em;
      }
      .qr-note {
        grid-column: 1 / -1;
        margin: 0;
      }
      .phone {
        justify-content: center;
        width: 100%;
        max-width: 32em;
        justify-self: center;
      }
    `,
  ];

  override render() {
    const { t } = this;
    const lines = this.model.attended === true;
    const withLines = lines ? 'with-lines' : '';
    return html`<section class="screen split ${withLines}">
      <div class="left ${withLines}">
        <div class="stack intro">
          ${lines ? nothing : html`<div class="badge">${icon('qr')}</div>`}
          <h1 class="title">${t.identify.title}</h1>
          <p class="lead">${t.identify.detail}</p>
          <p class="due">
            <span class="label">${t.identify.toPay}</span>
            <span class="num">${this.money(this.model.basket.total)}</span>
          </p>
        </div>
        ${lines ? html`<basket-lines .model=${this.model}></basket-lines>` : nothing}
        <div class="actions">
          ${
            // The POS's payment has no basket here to go back to: the cashier aborts it at the till.
            lines
              ? nothing
              : html`<button class="btn secondary back" data-testid="back" @click=${() => this.send({ type: 'back' })}>
                  ${t.identify.back}
                </button>`
          }
          <button class="btn secondary show-qr" data-testid="pay-qr" @click=${() => this.send({ type: 'pay-qr' })}>
            ${icon('qr')}<span>${t.identify.showQr}</span>
          </button>
          ${this.model.club ? html`<p class="label qr-note" data-testid="qr-no-club">${t.identify.qrNoClub}</p>` : nothing}
        </div>
      </div>
      <div class="stack phone">
        <p class="label">${t.identify.orPhone}</p>
        <phone-keypad .model=${this.model}></phone-keypad>
      </div>
    </section>`;
  }
}
