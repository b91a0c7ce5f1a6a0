import { css, html, nothing } from 'lit';
import { LANGUAGES } from '../../contracts/screen-model.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons } from '../base/styles.js';
import { CATALOGS } from '../i18n/index.js';
import { icon } from './icons.js';

/**
 * One button ("Language", with a globe so it is found without reading it) that opens the list of languages,
 * each named in itself and marked with its `lang`, so a screen reader speaks it in its own voice. Six
 * languages do not fit side by side at 800×480; the list does, two to a row. The open/closed state is the
 * screen's own: nothing the daemon needs to know.
 */
export class LanguagePicker extends KioskElement {
  static override properties = {
    open: { state: true },
  };

  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        position: relative;
        display: inline-flex;
      }
      .btn {
        font-size: var(--text-small);
      }
      .toggle {
        background: var(--disabled);
        color: var(--ink);
      }
      .toggle[aria-expanded='true'] {
        border-color: var(--ink);
      }
      ul {
        position: absolute;
        top: calc(100% + var(--space) * 0.5);
        right: 0;
        z-index: 40;
        display: grid;
        grid-template-columns: repeat(2, max-content);
        gap: calc(var(--space) * 0.5);
        margin: 0;
        padding: calc(var(--space) * 0.6);
        list-style: none;
        background: var(--surface);
        border: 2px solid var(--control);
        border-radius: calc(var(--radius) * 1.2);
        box-shadow: 0 10px 30px rgb(28 25 23 / 18%);
      }
      ul .btn {
        width: 100%;
        justify-content: flex-start;
      }
      .btn[aria-current='true'] {
        border-color: var(--ink);
        font-weight: 750;
      }
    `,
  ];

  declare open: boolean;

  constructor() {
    super();
    this.open = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.closeOutside);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('pointerdown', this.closeOutside);
    super.disconnectedCallback();
  }

  // A tap anywhere else closes the list, as a customer expects of a menu.
  private readonly closeOutside = (event: PointerEvent) => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  override render() {
    const { t } = this;
    const current = this.model.language;
    return html`<button
        class="btn toggle"
        data-testid="language"
        aria-expanded=${this.open}
        aria-controls="languages"
        @click=${() => {
          this.open = !this.open;
        }}
        @keydown=${this.escape}
      >
        ${icon('globe')} ${t.app.language}
      </button>
      ${
        this.open
          ? html`<ul id="languages" aria-label=${t.app.language} @keydown=${this.escape}>
            ${LANGUAGES.map(
              (language) => html`<li>
                <button
                  class="btn secondary"
                  lang=${language}
                  data-testid="language-${language}"
                  aria-current=${language === current}
                  @click=${() => this.choose(language)}
                >
                  ${CATALOGS[language].languageName}
                </button>
              </li>`,
            )}
          </ul>`
          : nothing
      }`;
  }

  private choose(language: (typeof LANGUAGES)[number]): void {
    this.open = false;
    if (language !== this.model.language) this.send({ type: 'language', language });
    this.renderRoot.querySelector<HTMLElement>('[data-testid="language"]')?.focus();
  }

  private readonly escape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.open) return;
    this.open = false;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="language"]')?.focus();
  };
}
