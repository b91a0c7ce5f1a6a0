import { css, html } from 'lit';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons } from '../base/styles.js';
import { icon } from './icons.js';

/**
 * Large text and high contrast, on or off, for this customer: the daemon keeps the choice with the session
 * (and clears it when the session ends), so it holds across screens and a reconnect.
 */
export class ThemeToggle extends KioskElement {
  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        display: inline-flex;
      }
      .btn {
        font-size: var(--text-small);
        background: var(--disabled);
        color: var(--ink);
      }
      .btn[aria-pressed='true'] {
        background: var(--ink);
        color: var(--surface);
      }
    `,
  ];

  override render() {
    const on = this.model.theme === 'high-contrast';
    return html`<button
      class="btn"
      data-testid="large-text"
      aria-pressed=${on}
      @click=${() => this.send({ type: 'theme', theme: on ? 'standard' : 'high-contrast' })}
    >
      ${icon('textSize')} ${this.t.app.largeText}
    </button>`;
  }
}
