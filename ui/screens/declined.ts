import { css, html } from 'lit';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/** Not paid. Say why in plain words, and that nothing was charged; the basket is still there. */
export class DeclinedScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .actions .btn {
        min-width: 10em;
      }
    `,
  ];

  override render() {
    const { t } = this;
    const reason = t.declined.reasons[this.model.declined?.reason ?? 'refused'];
    return html`<section class="screen center">
      <div class="badge">${icon('info')}</div>
      <h1 class="title" data-testid="decline-title">${reason.title}</h1>
      <p class="lead">${reason.detail}</p>
      <div class="actions">
        <button class="btn primary" data-testid="try-again" @click=${() => this.send({ type: 'try-again' })}>
          ${t.declined.tryAgain}
        </button>
        <button class="btn secondary large" data-testid="back" @click=${() => this.send({ type: 'back' })}>
          ${t.declined.backToBasket}
        </button>
      </div>
    </section>`;
  }
}
