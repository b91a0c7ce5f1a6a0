import { type CSSResultGroup, LitElement, type PropertyDeclarations } from 'lit';
import type { Intent, ScreenModel } from '../../contracts/screen-model.js';
import { type Messages, messagesOf } from '../i18n/index.js';
import { formatMoney } from './format.js';
import { base } from './styles.js';

/** Bubbles out of every shadow root to the app, which owns the socket. */
export class IntentEvent extends Event {
  readonly intent: Intent;

  constructor(intent: Intent) {
    super('kiosk-intent', { bubbles: true, composed: true });
    this.intent = intent;
  }
}

declare global {
  interface HTMLElementEventMap {
    'kiosk-intent': IntentEvent;
  }
}

/**
 * What every screen and part shares: it is handed the current model, speaks its language, formats its
 * currency, and asks the daemon for things by intent. It keeps no state the daemon should own.
 */
export class KioskElement extends LitElement {
  static override properties: PropertyDeclarations = {
    model: { attribute: false },
    clockOffset: { attribute: false },
  };
  static override styles: CSSResultGroup = [base];

  declare model: ScreenModel;
  /** Daemon clock minus browser clock; only countdowns read it. */
  declare clockOffset: number;

  constructor() {
    super();
    this.clockOffset = 0;
  }

  protected get t(): Messages {
    return messagesOf(this.model.language, this.model.market);
  }

  protected money(minor: number): string {
    return formatMoney(minor, this.model.currency, this.t.locale);
  }

  protected send(intent: Intent): void {
    this.dispatchEvent(new IntentEvent(intent));
  }
}
