import { type CSSResultGroup, css, html, type TemplateResult } from 'lit';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/** The lines on the left, scrolling on their own; total and actions on the right, where a thumb reaches. */
export class BasketScreen extends ScreenElement {
  static override styles: CSSResultGroup = [
    ScreenElement.styles,
    css`
      .lines {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: var(--space);
        min-height: 0;
      }
      .heading {
        display: flex;
        align-items: baseline;
        gap: 0.6em;
        font-size: var(--text-large);
        font-weight: 750;
      }
      .heading .label {
        font-weight: 500;
      }
      .summary {
        display: flex;
        flex-direction: column;
        gap: var(--space);
        min-height: 0;
      }
      .summary > :first-child {
        margin-bottom: auto;
      }
      .summary .btn {
        width: 100%;
      }
      .due {
        display: grid;
        gap: 2px;
        margin-bottom: var(--space);
      }
    `,
  ];

  /** The basket is the page's subject here; screens that reuse this layout put their own heading first. */
  protected readonly basketHeadingLevel: number = 1;

  override render() {
    const { t } = this;
    const { total, itemCount } = this.model.basket;
    return html`<section class="screen split">
      <div class="lines">
        <div class="heading" role="heading" aria-level=${this.basketHeadingLevel}>
          ${t.basket.title} <span class="label num">${t.basket.items(itemCount)}</span>
        </div>
        <basket-lines .model=${this.model}></basket-lines>
      </div>
      <div class="summary">
        ${this.message()}
        <p class="due">
          <span class="label">${t.basket.total}</span>
          <span class="amount" data-testid="basket-total">${this.money(total)}</span>
        </p>
        ${this.savedNote(this.model.basket.savings)}
        ${this.primary()}
        <button class="btn quiet" data-testid="start-over" @click=${() => this.send({ type: 'start-over' })}>
          ${t.basket.startOver}
        </button>
      </div>
    </section>`;
  }

  protected message(): TemplateResult {
    return html`<p class="lead">${this.t.basket.hint}</p>
      ${this.clubNote()}`;
  }

  protected primary(): TemplateResult {
    return html`<button
      class="btn primary"
      data-testid="pay"
      ?disabled=${this.model.basket.itemCount === 0}
      @click=${() => this.send({ type: 'pay' })}
    >
      ${this.t.basket.pay}
    </button>`;
  }
}

/** Vipps cannot be reached: the same basket (scanning still works), with the notice and Try again. */
export class UnavailableScreen extends BasketScreen {
  static override styles = [
    BasketScreen.styles,
    css`
      .notice {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 4px var(--space);
        align-items: start;
        padding: var(--space) calc(var(--space) * 1.4);
        border-radius: var(--radius);
        background: var(--accent-soft);
      }
      .notice .icon {
        grid-row: span 2;
        width: 1.6em;
        height: 1.6em;
        color: var(--accent-ink);
      }
      .notice h1 {
        font-size: var(--text-large);
        line-height: 1.2;
      }
      .notice p {
        font-size: var(--text-small);
      }
    `,
  ];

  protected override readonly basketHeadingLevel = 2;

  protected override message(): TemplateResult {
    const { t } = this;
    return html`<div class="notice" role="alert">
      ${icon('cloudOff')}
      <h1>${t.unavailable.title}</h1>
      <p>${t.unavailable.detail}</p>
    </div>`;
  }

  protected override primary(): TemplateResult {
    return html`<button class="btn primary" data-testid="try-again" @click=${() => this.send({ type: 'try-again' })}>
      ${this.t.unavailable.tryAgain}
    </button>`;
  }
}
