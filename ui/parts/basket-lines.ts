import { css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ScreenLine } from '../../contracts/screen-model.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons } from '../base/styles.js';
import { icon } from './icons.js';

/**
 * The scanned lines with +/− and remove. The list scrolls on its own so the total and the main action
 * beside it never move; a freshly scanned product is scrolled into view and briefly lit. In attended mode
 * the lines are the store POS's, read-only (the cashier changes them at the POS): quantity × price.
 */
export class BasketLines extends KioskElement {
  static override styles = [
    KioskElement.styles,
    buttons,
    css`
      :host {
        display: block;
        min-height: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        container-type: inline-size;
        background: var(--scroll-surface);
        border-radius: calc(var(--radius) * 1.4);
        box-shadow: 0 1px 2px rgb(28 25 23 / 6%), 0 10px 30px rgb(28 25 23 / 7%);
      }
      ul {
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-areas:
          'name total'
          'each controls';
        align-items: center;
        column-gap: var(--space);
        row-gap: 4px;
        padding: calc(var(--space) * 0.9) var(--gap);
        border-bottom: 1px solid var(--line);
      }
      li:last-child {
        border-bottom: none;
      }
      .name {
        grid-area: name;
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .saving {
        color: var(--success);
        font-weight: 650;
      }
      .each {
        grid-area: each;
        font-size: var(--text-small);
        color: var(--ink-muted);
      }
      .total {
        grid-area: total;
        font-weight: 650;
        text-align: right;
      }
      .controls {
        grid-area: controls;
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .count {
        min-width: 2.2ch;
        text-align: center;
        font-weight: 650;
      }
      .remove {
        margin-left: var(--space);
        color: var(--ink-muted);
      }
      .round {
        width: var(--tap);
        height: var(--tap);
      }
      .empty {
        padding: var(--gap);
        color: var(--ink-muted);
        text-align: center;
      }
      @container (min-width: 620px) {
        li {
          grid-template-columns: minmax(0, 1fr) auto minmax(6em, auto);
          grid-template-areas:
            'name controls total'
            'each controls total';
        }
      }
    `,
  ];

  private seenFeedback: number | undefined;

  override render() {
    const { t } = this;
    const { lines } = this.model.basket;
    if (lines.length === 0) return html`<p class="empty">${t.basket.empty}</p>`;
    return html`<ul aria-label=${t.basket.title}>
      ${repeat(
        lines,
        (line) => line.gtin,
        (line) => this.line(line),
      )}
    </ul>`;
  }

  private line(line: ScreenLine) {
    const { t } = this;
    const { gtin, name, quantity } = line;
    const fixed = this.model.attended === true;
    // data-speech: speech mode's focus stops on the line and reads it (ui/speech/speech-focus.ts).
    return html`<li
      data-testid="line-${gtin}"
      data-name=${name}
      data-speech=${t.speech.basket.line(quantity, name, this.money(line.lineTotal))}
    >
      <span class="name">${name}</span>
      <span class="each num"
        >${
          fixed
            ? html`<span data-testid="line-${gtin}-quantity">${quantity}</span> × ${this.money(line.unitPrice)}`
            : t.basket.each(this.money(line.unitPrice))
        }${
          line.discount > 0
            ? html` · <span class="saving" data-testid="line-${gtin}-saving">${t.club.lineSaving(this.money(line.discount))}</span>`
            : nothing
        }</span
      >
      ${fixed ? nothing : this.controls(line)}
      <span class="total num">${this.money(line.lineTotal)}</span>
    </li>`;
  }

  private controls(line: ScreenLine) {
    const { t } = this;
    const { gtin, name, quantity } = line;
    return html`<span class="controls">
        <button
          class="btn secondary round"
          data-testid="line-${gtin}-minus"
          aria-label=${t.basket.decrease(name)}
          ?disabled=${quantity <= 1}
          @click=${() => this.send({ type: 'set-quantity', gtin, quantity: quantity - 1 })}
        >
          ${icon('minus')}
        </button>
        <span class="count num" data-testid="line-${gtin}-quantity" aria-label=${t.basket.quantity(name, quantity)}
          >${quantity}</span
        >
        <button
          class="btn secondary round"
          data-testid="line-${gtin}-plus"
          aria-label=${t.basket.increase(name)}
          @click=${() => this.send({ type: 'set-quantity', gtin, quantity: quantity + 1 })}
        >
          ${icon('plus')}
        </button>
        <button
          class="btn quiet round remove"
          data-testid="line-${gtin}-remove"
          aria-label=${t.basket.remove(name)}
          @click=${() => this.send({ type: 'remove-line', gtin })}
        >
          ${icon('trash')}
        </button>
      </span>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Read-only lines have no buttons to reach the list by: the list itself takes the keyboard's focus,
    // so a keyboard can scroll it (WCAG 2.1.1).
    if (this.model.attended === true) {
      this.setAttribute('tabindex', '0');
      this.setAttribute('role', 'region');
      this.setAttribute('aria-label', this.t.basket.title);
    } else {
      for (const name of ['tabindex', 'role', 'aria-label']) this.removeAttribute(name);
    }
    const feedback = this.model.feedback;
    if (!feedback || feedback.seq === this.seenFeedback) return;
    this.seenFeedback = feedback.seq;
    if (feedback.kind !== 'added') return;
    const added = [...this.renderRoot.querySelectorAll<HTMLElement>('li')].find(
      (li) => li.dataset['name'] === feedback.subject,
    );
    if (!added) return;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    added.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
    if (!still) {
      added.animate([{ backgroundColor: 'var(--accent-soft)' }, { backgroundColor: 'transparent' }], {
        duration: 1200,
        easing: 'ease-out',
      });
    }
  }
}
