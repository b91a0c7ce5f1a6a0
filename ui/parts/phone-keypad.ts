import { css, html, type PropertyValues } from 'lit';
import {
  type CountryDialling,
  groupDigits,
  homeDialling,
  isPlausibleMsisdn,
  msisdn,
  nextDialling,
  typeDigit,
} from '../../contracts/phone-numbers.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons, digitKeys } from '../base/styles.js';
import { icon } from './icons.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * An on-screen phone keypad. The digits are the one piece of state the screen owns: transient input that
 * only becomes an intent on Send. Keyboard input is deliberately not read, because the barcode scanner
 * types through the keyboard too.
 */
export class PhoneKeypad extends KioskElement {
  static override properties = {
    national: { state: true },
    country: { state: true },
  };

  static override styles = [
    KioskElement.styles,
    buttons,
    digitKeys,
    css`
      :host {
        display: grid;
        gap: calc(var(--space) * 0.75);
        --key: clamp(48px, 11vmin, 96px);
      }
      .display {
        display: flex;
        align-items: center;
        gap: var(--space);
        min-height: var(--key);
        padding: 2px;
        background: var(--surface);
        border: 2px solid var(--control);
        border-radius: var(--radius);
      }
      .country {
        padding: 0 0.4em 0 0.7em;
        gap: 0.2em;
        background: var(--disabled);
        font-weight: 700;
      }
      output {
        flex: 1;
        min-width: 0;
        font-size: var(--text-large);
        font-weight: 650;
        letter-spacing: 0.04em;
        white-space: nowrap;
        overflow: hidden;
      }
      output.placeholder {
        color: var(--ink-muted);
        font-weight: 400;
        letter-spacing: 0;
      }
    `,
  ];

  declare national: string;
  declare country: CountryDialling | undefined;

  constructor() {
    super();
    this.national = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.country ??= homeDialling(this.model.market);
  }

  override render() {
    const { t } = this;
    const country = this.country!;
    const ready = isPlausibleMsisdn(msisdn(country, this.national));
    return html`
      <div class="display">
        <button
          class="btn country"
          data-testid="keypad-country"
          aria-label=${t.identify.countryCode(country.code)}
          @click=${() => {
            this.country = nextDialling(country);
            this.national = this.national.slice(0, this.country.maxDigits);
          }}
        >
          +${country.code} ${icon('chevron')}
        </button>
        <output
          class="num ${this.national ? '' : 'placeholder'}"
          data-testid="keypad-display"
          aria-label=${t.identify.phonePlaceholder}
          >${this.national ? groupDigits(country, this.national) : t.identify.phonePlaceholder}</output
        >
      </div>
      <div class="keys">
        ${DIGITS.map((digit) => this.key(digit))}
        <button
          class="btn secondary"
          data-testid="keypad-backspace"
          aria-label=${t.identify.backspace}
          ?disabled=${this.national === ''}
          @click=${() => {
            this.national = this.national.slice(0, -1);
          }}
        >
          ${icon('backspace')}
        </button>
        ${this.key('0')}
        <button
          class="btn primary"
          data-testid="keypad-send"
          ?disabled=${!ready}
          @click=${() => this.send({ type: 'pay-phone', msisdn: msisdn(country, this.national) })}
        >
          ${t.identify.send}
        </button>
      </div>
    `;
  }

  private key(digit: string) {
    return html`<button
      class="btn secondary digit num"
      data-testid="keypad-${digit}"
      @click=${() => {
        this.national = typeDigit(this.country!, this.national, digit);
      }}
    >
      ${digit}
    </button>`;
  }
}
