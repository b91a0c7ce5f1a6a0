import { css, html, nothing } from 'lit';
import { Countdown } from '../base/countdown.js';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons, screen } from '../base/styles.js';

/**
 * WCAG 2.2.1 (timing adjustable): before the daemon gives up on an idle customer, say so, show how long
 * is left, and let one tap keep the session.
 */
export class IdleWarning extends KioskElement {
  static override styles = [
    KioskElement.styles,
    buttons,
    screen,
    css`
      :host {
        position: fixed;
        inset: 0;
        z-index: 20;
        display: grid;
        place-items: center;
        padding: var(--gap);
        background: rgb(28 25 23 / 55%);
        animation: enter 200ms ease-out;
      }
      .dialog {
        display: grid;
        justify-items: center;
        gap: var(--space);
        width: min(34em, 100%);
        padding: var(--gap);
        text-align: center;
      }
      .seconds {
        display: grid;
        place-items: center;
        width: clamp(64px, 16vmin, 168px);
        aspect-ratio: 1;
        border-radius: 50%;
        border: clamp(4px, 0.8vmin, 8px) solid var(--accent);
        background: var(--accent-soft);
        color: var(--accent-ink);
        font-size: var(--title);
        font-weight: 750;
      }
      .primary {
        width: 100%;
        margin-top: var(--space);
      }
    `,
  ];

  private readonly countdown = new Countdown(this, () => this.clockOffset);

  override render() {
    const warning = this.model.idleWarning;
    if (!warning) return nothing;
    const { t } = this;
    const seconds = this.countdown.secondsUntil(warning.endsAt);
    return html`<div
      class="dialog card"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-title"
      aria-describedby="idle-detail"
      data-testid="idle-warning"
    >
      <div class="seconds num" role="timer" aria-label=${t.idle.secondsLeft(seconds)} data-testid="idle-countdown">
        ${seconds}
      </div>
      <h2 id="idle-title" class="title">${t.idle.title}</h2>
      <p id="idle-detail" class="lead">${t.idle.detail}</p>
      <button class="btn primary" data-testid="still-here" @click=${() => this.send({ type: 'still-here' })}>
        ${t.idle.stillHere}
      </button>
    </div>`;
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="still-here"]')?.focus();
  }
}
