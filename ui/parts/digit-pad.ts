import { css, html } from 'lit';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons, digitKeys } from '../base/styles.js';
import { icon } from './icons.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * Staff mode's keypad: a PIN (shown as dots) or a receipt number. The digits are transient input the
 * screen owns until the submit key turns them into an intent (the `digits` event); like the phone keypad,
 * it reads no keyboard, because the scanner types through it.
 */
export class DigitPad extends KioskElement {
  static override properties = {
    digits: { state: true },
    masked: { type: Boolean },
    minLength: { type: Number },
    maxLength: { type: Number },
    label: { attribute: false },
    submitLabel: { attribute: false },
  };

  static override styles = [
    KioskElement.styles,
    buttons,
    digitKeys,
    css`
      :host {
        display: grid;
        gap: calc(var(--space) * 0.6);
        --key: clamp(44px, 9.5vmin, 88px);
        width: min(100%, 24em);
      }
      output {
        display: block;
        min-height: var(--key);
        line-height: var(--key);
        padding: 0 0.6em;
        background: var(--surface);
        border: 2px solid var(--control);
        border-radius: var(--radius);
        font-size: var(--text-large);
        font-weight: 650;
        letter-spacing: 0.15em;
        text-align: center;
        overflow: hidden;
        white-space: nowrap;
      }
    `,
  ];

  declare digits: string;
  declare masked: boolean;
  declare minLength: number;
  declare maxLength: number;
  declare label: string;
  declare submitLabel: string;

  constructor() {
    super();
    this.digits = '';
    this.masked = false;
    this.minLength = 1;
    this.maxLength = 8;
    this.label = '';
    this.submitLabel = '';
  }

  /** Empties the display (after a wrong PIN, say). */
  clear(): void {
    this.digits = '';
  }

  override render() {
    const shown = this.masked ? '•'.repeat(this.digits.length) : this.digits;
    return html`<output class="num" data-testid="pad-display" aria-label=${this.label}>${shown}</output>
      <div class="keys">
        ${DIGITS.map((digit) => this.key(digit))}
        <button
          class="btn secondary"
          data-testid="pad-backspace"
          aria-label=${this.t.staff.backspace}
          ?disabled=${this.digits === ''}
          @click=${() => {
            this.digits = this.digits.slice(0, -1);
          }}
        >
          ${icon('backspace')}
        </button>
        ${this.key('0')}
        <button
          class="btn primary"
          data-testid="pad-submit"
          ?disabled=${this.digits.length < this.minLength}
          @click=${() => {
            this.dispatchEvent(new CustomEvent('digits', { detail: this.digits }));
            this.digits = '';
          }}
        >
          ${this.submitLabel}
        </button>
      </div>`;
  }

  private key(digit: string) {
    return html`<button
      class="btn secondary digit num"
      data-testid="pad-${digit}"
      ?disabled=${this.digits.length >= this.maxLength}
      @click=${() => {
        this.digits += digit;
      }}
    >
      ${digit}
    </button>`;
  }
}
