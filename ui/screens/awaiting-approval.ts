import { css, html, nothing } from 'lit';
import type { QrPicture } from '../../contracts/screen-model.js';
import { Countdown } from '../base/countdown.js';
import { formatCountdown } from '../base/format.js';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/**
 * The request is on the customer's phone, or its one-time QR on this screen for their phone to scan. The
 * one thing to do is on the phone; Cancel is the way out. The QR is drawn from the path the daemon made
 * (QrPicture), as large as the screen allows beside the words, on white with its quiet zone for the camera.
 * In attended mode the POS's lines stay in view beside the request (the QR keeps the whole screen).
 */
export class AwaitingApprovalScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .badge {
        position: relative;
        width: clamp(56px, 13vmin, 150px);
      }
      .badge::after {
        content: '';
        position: absolute;
        inset: -6px;
        border-radius: 50%;
        border: 3px solid var(--accent);
        animation: pulse 1.8s ease-out infinite;
      }
      @keyframes pulse {
        from {
          opacity: 0.8;
          transform: scale(0.95);
        }
        to {
          opacity: 0;
          transform: scale(1.3);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .badge::after {
          display: none;
        }
      }
      .timer {
        display: inline-flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.35em 1em;
        border-radius: 999px;
        background: var(--accent-soft);
        color: var(--accent-ink);
        font-weight: 650;
      }
      .timer .num {
        font-size: var(--text-large);
        font-weight: 750;
        min-width: 3.2ch;
      }
      .cancel {
        min-width: 12em;
        margin-top: var(--space);
      }
      .waiting {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        min-height: 0;
      }
      .waiting .cancel {
        min-width: min(12em, 100%);
      }
      /* Upright, the request goes under the lines: beside them its words would be a word a line. */
      @media (orientation: portrait) {
        .split {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: minmax(0, 1fr) auto;
        }
      }
      .qr {
        grid-template-columns: auto minmax(0, 1fr);
        grid-template-rows: minmax(0, 1fr);
        align-items: center;
      }
      .qr-code {
        display: block;
        height: 100%;
        max-height: 900px;
        max-width: 58vw;
        aspect-ratio: 1;
        background: #fff;
      }
      .qr .stack {
        align-items: flex-start;
      }
      .qr .cancel {
        margin-top: 0;
      }
      @media (orientation: portrait) {
        .qr {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto auto;
          justify-items: center;
          align-content: center;
        }
        .qr-code {
          height: auto;
          width: min(90vw, 55vh);
          max-width: none;
        }
      }
    `,
  ];

  private readonly countdown = new Countdown(this, () => this.clockOffset);

  override render() {
    const payment = this.model.payment;
    const amount = payment?.amount ?? this.model.basket.total;
    if (payment?.qr) return this.qrScreen(payment.qr, amount, payment.expiresAt);
    if (this.model.attended !== true)
      return html`<section class="screen center">${this.waiting(amount)}</section>`;
    return html`<section class="screen split">
      <basket-lines .model=${this.model}></basket-lines>
      <div class="waiting center">${this.waiting(amount)}</div>
    </section>`;
  }

  private waiting(amount: number) {
    const { t } = this;
    const payment = this.model.payment;
    return html`<div class="badge">${icon('phone')}</div>
      <h1 class="title">${t.awaitingApproval.title}</h1>
      <p class="amount">${this.money(amount)}</p>
      ${this.clubNote()}
      <p class="lead">
        ${t.awaitingApproval.detail} ${payment?.customer ? t.awaitingApproval.sentTo(payment.customer) : nothing}
      </p>
      ${payment?.expiresAt ? this.timer(payment.expiresAt) : nothing}
      <button class="btn secondary large cancel" data-testid="cancel" @click=${() => this.send({ type: 'cancel' })}>
        ${t.awaitingApproval.cancel}
      </button>`;
  }

  private qrScreen(qr: QrPicture, amount: number, expiresAt: number | null) {
    const { t } = this;
    return html`<section class="screen qr">
      <svg
        class="qr-code"
        data-testid="payment-qr"
        role="img"
        aria-label=${t.awaitingApproval.qrLabel}
        viewBox="0 0 ${qr.size} ${qr.size}"
        shape-rendering="crispEdges"
      >
        <rect width=${qr.size} height=${qr.size} fill="#fff"></rect>
        <path d=${qr.path} fill="#000"></path>
      </svg>
      <div class="stack">
        <h1 class="title">${t.awaitingApproval.qrTitle}</h1>
        <p class="amount">${this.money(amount)}</p>
        <p class="lead" data-testid="qr-detail">${t.awaitingApproval.qrDetail}</p>
        ${expiresAt ? this.timer(expiresAt) : nothing}
        <button class="btn secondary large cancel" data-testid="cancel" @click=${() => this.send({ type: 'cancel' })}>
          ${t.awaitingApproval.cancel}
        </button>
      </div>
    </section>`;
  }

  private timer(expiresAt: number) {
    const left = formatCountdown(this.countdown.secondsUntil(expiresAt));
    const label = this.t.awaitingApproval.timeLeft;
    return html`<p class="timer" role="timer" aria-label="${label} ${left}">
      ${icon('clock')}<span>${label}</span><span class="num" data-testid="countdown">${left}</span>
    </p>`;
  }
}
