import { css, html } from 'lit';
import type { Language } from '../../contracts/screen-model.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons } from '../base/styles.js';
import { CATALOGS } from '../i18n/index.js';

const LANGUAGES = Object.keys(CATALOGS) as Language[];

/** Each language named in itself, so a customer finds theirs without reading the current one. */
export class LanguageToggle extends KioskElement {
  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        display: inline-flex;
      }
      .group {
        display: inline-flex;
        padding: 3px;
        gap: 3px;
        border-radius: calc(var(--radius) + 3px);
        background: var(--disabled);
      }
      .btn {
        font-size: var(--text-small);
        background: transparent;
        color: var(--ink);
      }
      .btn[aria-pressed='true'] {
        background: var(--surface);
        box-shadow: 0 1px 3px rgb(28 25 23 / 18%);
        font-weight: 750;
      }
    `,
  ];

  override render() {
    const current = this.model.language;
    return html`<div class="group" role="group" aria-label=${this.t.app.language}>
      ${LANGUAGES.map(
        (language) => html`<button
          class="btn"
          lang=${language}
          data-testid="language-${language}"
          aria-pressed=${language === current}
          @click=${() => {
            if (language !== current) this.send({ type: 'language', language });
          }}
        >
          ${CATALOGS[language].languageName}
        </button>`,
      )}
    </div>`;
  }
}
