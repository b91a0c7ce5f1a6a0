import { html } from 'lit';
import type { Messages } from '../i18n/index.js';
import { ScreenElement } from './screen-element.js';

export type BusyText = Messages['paying'];

/**
 * The three short waits between the customer's actions. Nothing to press: they say what is happening and
 * for how much, and the daemon moves on by itself.
 */
export abstract class BusyScreen extends ScreenElement {
  protected abstract text(): BusyText;

  override render() {
    const { title, detail } = this.text();
    const amount = this.model.payment?.amount ?? this.model.basket.total;
    return html`<section class="screen center" aria-busy="true">
      <div class="spinner" aria-hidden="true"></div>
      <h1 class="title">${title}</h1>
      <p class="lead">${detail}</p>
      <p class="amount">${this.money(amount)}</p>
      ${this.clubNote()}
    </section>`;
  }
}

export class PayingScreen extends BusyScreen {
  protected text(): BusyText {
    return this.t.paying;
  }
}

export class CancellingScreen extends BusyScreen {
  protected text(): BusyText {
    return this.t.cancelling;
  }
}

export class CapturingScreen extends BusyScreen {
  protected text(): BusyText {
    return this.t.capturing;
  }
}
