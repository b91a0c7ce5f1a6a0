import { css, html, nothing } from 'lit';
import { screenAuthorization } from '../../contracts/screen-auth.js';
import type { TactileKey } from '../../contracts/speech.js';
import { KioskElement } from '../base/kiosk-element.js';
import { apiGet, screenToken } from '../base/screen-token.js';
import { buttons } from '../base/styles.js';
import { icon } from './icons.js';

interface DemoProduct {
  gtin: string;
  name: string;
}

interface DemoCustomer {
  name: string;
  personalQr: string;
}

function group(label: string, options: Array<[value: string, text: string]>) {
  if (options.length === 0) return nothing;
  return html`<optgroup label=${label}>
    ${options.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
  </optgroup>`;
}

async function getJson<T>(url: string): Promise<T | null> {
  try {
    const response = await apiGet(url, screenToken(location));
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

/**
 * The developer's stand-in for the scanner and the status LED, shown only in demo mode. It sits in the
 * header's corner and starts folded on small screens, so it never hides what a customer needs.
 */
export class DemoPanel extends KioskElement {
  static override properties = {
    open: { state: true },
    products: { state: true },
    customers: { state: true },
    phoneUrl: { state: true },
    printer: { state: true },
    keys: { state: true },
  };

  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: var(--space);
      }
      .led {
        width: 22px;
        height: 22px;
        border-radius: 50%;
        border: 2px solid rgb(28 25 23 / 35%);
        background: var(--led);
        box-shadow: 0 0 10px 1px var(--glow);
      }
      .led.blink {
        animation: blink 1s steps(1, end) infinite;
      }
      @keyframes blink {
        50% {
          background: var(--disabled);
          box-shadow: none;
        }
      }
      .off {
        --led: var(--disabled);
        --glow: transparent;
      }
      .green {
        --led: #22c55e;
        --glow: rgb(34 197 94 / 60%);
      }
      .amber {
        --led: #f59e0b;
        --glow: rgb(245 158 11 / 60%);
      }
      .red {
        --led: #ef4444;
        --glow: rgb(239 68 68 / 60%);
      }
      .blue {
        --led: #3b82f6;
        --glow: rgb(59 130 246 / 60%);
      }
      .toggle {
        font-size: var(--text-small);
        border-style: dashed;
      }
      .toggle[aria-expanded='true'] .icon {
        transform: rotate(180deg);
      }
      .body {
        position: absolute;
        top: calc(100% + var(--space));
        right: 0;
        /* Above the scan toast: a developer who opened the panel wants to see what they type. */
        z-index: 16;
        display: grid;
        gap: var(--space);
        width: min(380px, 80vw);
        padding: var(--space);
        background: var(--surface);
        border: 2px dashed var(--control);
        border-radius: var(--radius);
        box-shadow: 0 12px 32px rgb(28 25 23 / 18%);
        font-size: var(--text-small);
        /* With the printer's paper strip it can be taller than a small screen: it scrolls. */
        max-height: 80vh;
        overflow-y: auto;
      }
      .body > * {
        min-width: 0;
      }
      form {
        display: flex;
        gap: var(--space);
      }
      input,
      select {
        min-height: var(--tap);
        min-width: 0;
        padding: 0 0.6em;
        border: 2px solid var(--control);
        border-radius: var(--radius);
        background: var(--surface);
        color: var(--ink);
        font: inherit;
      }
      input {
        flex: 1;
        width: 0;
      }
      select {
        width: 100%;
      }
      .keys {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--space) * 0.5);
      }
      input:focus-visible,
      select:focus-visible {
        outline: 4px solid var(--ink);
        outline-offset: 2px;
      }
    `,
  ];

  declare open: boolean;
  declare products: DemoProduct[];
  declare customers: DemoCustomer[];
  declare phoneUrl: string;
  declare printer: boolean;
  /** The demo's tactile keys, in the daemon's order (none without `demo --speech`). */
  declare keys: string[];

  constructor() {
    super();
    // Open by default only where it has room beside the customer's content; a tap opens it anywhere.
    this.open = matchMedia('(min-width: 1600px)').matches;
    this.products = [];
    this.customers = [];
    this.phoneUrl = '';
    this.printer = false;
    this.keys = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadPicks();
  }

  // The quick picks are a convenience: when the endpoints are missing, typing still works.
  private async loadPicks(): Promise<void> {
    const [catalog, demo] = await Promise.all([
      getJson<{ products: DemoProduct[] }>('/api/catalog'),
      getJson<{ customers: DemoCustomer[]; phoneUrl?: string; printer?: boolean; keys?: string[] }>(
        '/api/demo',
      ),
    ]);
    this.products = catalog?.products ?? [];
    this.customers = demo?.customers ?? [];
    this.phoneUrl = demo?.phoneUrl ?? '';
    this.printer = demo?.printer ?? false;
    this.keys = demo?.keys ?? [];
  }

  // As the key itself: the daemon's speech mode hears the press and answers in the screen model.
  private async press(key: TactileKey): Promise<void> {
    // A lost press is pressed again by hand: the screen model shows whether it was heard.
    await fetch('/api/demo/key', {
      method: 'POST',
      cache: 'no-store',
      headers: {
        authorization: screenAuthorization(screenToken(location)),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ key }),
    }).catch(() => undefined);
  }

  private scan(text: string): void {
    if (text.trim() !== '') this.send({ type: 'scan', text });
  }

  override render() {
    const leds = this.model.demo?.leds;
    if (!leds) return nothing;
    const { t } = this;
    return html`
      <span
        class="led ${leds.status} ${leds.blink ? 'blink' : ''}"
        role="img"
        aria-label=${t.demo.led[leds.status]}
        data-testid="demo-led"
        data-colour=${leds.status}
        data-blink=${leds.blink}
      ></span>
      <button
        class="btn secondary toggle"
        data-testid="demo-toggle"
        aria-expanded=${this.open}
        aria-controls="demo-body"
        @click=${() => {
          this.open = !this.open;
        }}
      >
        ${t.demo.title} ${icon('chevron')}
      </button>
      ${this.open ? this.body() : nothing}
    `;
  }

  private body() {
    const { t } = this;
    return html`<div id="demo-body" class="body" data-testid="demo-panel">
      <form
        @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          const input = (event.target as HTMLFormElement).elements.namedItem('scan') as HTMLInputElement;
          this.scan(input.value);
          input.value = '';
        }}
      >
        <input
          name="scan"
          data-testid="demo-scan-input"
          aria-label=${t.demo.scanLabel}
          placeholder=${t.demo.scanLabel}
          autocomplete="off"
          spellcheck="false"
        />
        <button class="btn secondary" type="submit" data-testid="demo-scan-submit">${t.demo.scan}</button>
      </form>
      ${this.products.length + this.customers.length > 0 ? this.quickPick() : nothing}
      ${
        this.phoneUrl
          ? html`<a class="btn secondary" data-testid="demo-phone-link" href=${this.phoneUrl} target="_blank" rel="noopener"
            >${icon('phone')} ${t.demo.phone}</a
          >`
          : nothing
      }
      ${this.keys.length > 0 ? this.keyButtons() : nothing}
      ${this.printer ? html`<paper-strip .model=${this.model}></paper-strip>` : nothing}
    </div>`;
  }

  private keyButtons() {
    const { t } = this;
    // Only keys this page has a label for (TactileKey is a type import: zod stays out of the page).
    const labelled = this.keys.filter((key): key is TactileKey => Object.hasOwn(t.demo.keys.key, key));
    return html`<div class="keys" role="group" aria-label=${t.demo.keys.title} data-testid="demo-keys">
      ${labelled.map(
        (key) =>
          html`<button class="btn secondary" data-testid="demo-key-${key}" @click=${() => void this.press(key)}>
            ${t.demo.keys.key[key]}
          </button>`,
      )}
    </div>`;
  }

  private quickPick() {
    const { t } = this;
    return html`<select
      data-testid="demo-quick-pick"
      aria-label=${t.demo.quickPick}
      @change=${(event: Event) => {
        const select = event.target as HTMLSelectElement;
        this.scan(select.value);
        select.value = '';
      }}
    >
      <option value="">${t.demo.quickPick}</option>
      ${group(
        t.demo.products,
        this.products.map((product) => [product.gtin, product.name]),
      )}
      ${group(
        t.demo.customers,
        this.customers.map((customer) => [customer.personalQr, customer.name]),
      )}
    </select>`;
  }
}
