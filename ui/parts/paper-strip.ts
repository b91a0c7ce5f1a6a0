import { css, html, nothing, type PropertyValues } from 'lit';
import type { DemoPrinterView, PaperItem } from '../../contracts/demo-paper.js';
import { screenAuthorization } from '../../contracts/screen-auth.js';
import type { PrinterCondition } from '../../contracts/telemetry.js';
import { KioskElement } from '../base/kiosk-element.js';
import { apiGet, screenToken } from '../base/screen-token.js';
import { buttons } from '../base/styles.js';

/** How often the open demo panel asks for the printer's paper: a receipt prints just after "approved". */
const POLL_MS = 1_000;

const BUTTONS: PrinterCondition[] = ['paper-out', 'paper-near-end', 'cover-open', 'offline', 'ready'];

/**
 * The demo's receipt printer, inside the demo panel: the end of its paper roll as the daemon decoded it
 * from the printer's ESC/POS bytes (what a real printer would print, not a second rendering), and
 * buttons that run it out of paper, open its cover, pull its cable or put it right.
 */
export class PaperStrip extends KioskElement {
  static override properties = { ...KioskElement.properties, view: { state: true } };

  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        display: grid;
        gap: calc(var(--space) * 0.5);
      }
      h3 {
        font-size: inherit;
        font-weight: 750;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--space) * 0.4);
      }
      .buttons .btn {
        padding: 0 0.7em;
      }
      .strip {
        max-height: min(340px, 40vh);
        overflow: auto;
        padding: 0.6em 0.5em;
        background: #fff;
        color: #111;
        border: 1px solid var(--control);
        box-shadow: inset 0 -12px 12px -12px rgb(0 0 0 / 25%);
        font-family: ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', monospace;
        font-size: 11px;
        line-height: 1.35;
      }
      .line {
        width: calc(var(--columns) * 1ch);
        min-height: 1.35em;
        white-space: pre;
      }
      .bold {
        font-weight: 800;
      }
      .big {
        font-size: 2em;
        line-height: 1.2;
      }
      .code {
        width: calc(var(--columns) * 1ch);
        text-align: center;
      }
      .bars {
        height: 36px;
        margin: 0.3em auto 0.1em;
        width: 70%;
        background: repeating-linear-gradient(90deg, #111 0 2px, #fff 2px 3px, #111 3px 4px, #fff 4px 7px);
      }
      .cut {
        width: calc(var(--columns) * 1ch);
        margin: 0.6em 0;
        border-top: 2px dashed #888;
      }
    `,
  ];

  declare view: DemoPrinterView | null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.view = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => void this.load(), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('view')) return;
    const strip = this.renderRoot.querySelector('.strip');
    if (strip) strip.scrollTop = strip.scrollHeight;
  }

  // A demo without the endpoint (an older daemon) just shows no printer.
  private async load(): Promise<void> {
    try {
      const response = await apiGet('/api/demo/printer', screenToken(location));
      if (response.ok) this.view = (await response.json()) as DemoPrinterView;
    } catch {
      // The next poll tries again.
    }
  }

  private async set(condition: PrinterCondition): Promise<void> {
    const response = await fetch('/api/demo/printer', {
      method: 'POST',
      cache: 'no-store',
      headers: {
        authorization: screenAuthorization(screenToken(location)),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ condition }),
    });
    if (response.ok) this.view = (await response.json()) as DemoPrinterView;
  }

  override render() {
    const { view } = this;
    if (!view) return nothing;
    const text = this.t.demo.printer;
    return html`<h3>
        ${text.title}:
        <span data-testid="demo-printer-condition" data-condition=${view.condition}
          >${text.condition[view.condition]}</span
        >
      </h3>
      <div class="buttons">
        ${BUTTONS.map(
          (condition) =>
            html`<button
              class="btn secondary"
              data-testid=${`demo-printer-${condition}`}
              aria-pressed=${view.condition === condition}
              @click=${() => void this.set(condition)}
            >
              ${text.set[condition]}
            </button>`,
        )}
      </div>
      <div
        class="strip"
        role="log"
        aria-label=${text.paper}
        data-testid="demo-paper"
        style="--columns: ${view.columns}"
      >
        ${view.paper.length === 0 ? html`<div class="line">${text.empty}</div>` : view.paper.map((item) => this.item(item))}
      </div>`;
  }

  private item(item: PaperItem) {
    switch (item.kind) {
      case 'text':
        return html`<div class="line ${item.bold ? 'bold' : ''} ${item.size > 1 ? 'big' : ''}">${item.text}</div>`;
      case 'barcode':
        return html`<div class="code" data-testid="demo-paper-barcode" data-value=${item.data}>
          <div class="bars" role="img" aria-label=${`${item.symbology} ${item.data}`}></div>
          <div>${item.data}</div>
        </div>`;
      case 'qrcode':
        return html`<div class="code">[QR] ${item.data}</div>`;
      case 'image':
        return html`<div class="code">[image]</div>`;
      case 'cut':
        return html`<div class="cut" data-testid="demo-paper-cut"></div>`;
    }
  }
}
