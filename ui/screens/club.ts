import { css, html, nothing } from 'lit';
import { Countdown } from '../base/countdown.js';
import { formatCountdown } from '../base/format.js';
import { icon } from '../parts/icons.js';
import { BusyScreen, type BusyText } from './busy.js';
import { ScreenElement } from './screen-element.js';

/** A short wait while the club looks the customer up. */
export class ClubCheckingScreen extends BusyScreen {
  protected text(): BusyText {
    return this.t.club.checking;
  }
}

/**
 * Not a member yet. The offer leads with what joining saves on this very basket; "No thanks" is as
 * large and as close as "Join", so paying at shelf prices is never the hard way out.
 */
export class ClubOfferScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .saves {
        font-size: var(--title);
        font-weight: 750;
        color: var(--success);
        text-wrap: balance;
      }
      .actions .btn {
        min-width: 11em;
      }
    `,
  ];

  override render() {
    const { t } = this;
    const savings = this.model.club?.offerSavings ?? 0;
    return html`<section class="screen center">
      <div class="badge">${icon('star')}</div>
      <h1 class="title">${t.club.offer.title}</h1>
      ${
        savings > 0
          ? html`<p class="saves" data-testid="offer-savings">${t.club.offer.saves(this.money(savings))}</p>`
          : html`<p class="lead">${t.club.offer.noSaving}</p>`
      }
      <p class="lead">${t.club.offer.detail}</p>
      <div class="actions">
        <button class="btn primary" data-testid="join-club" @click=${() => this.send({ type: 'join-club' })}>
          ${t.club.offer.join}
        </button>
        <button class="btn secondary large" data-testid="skip-club" @click=${() => this.send({ type: 'skip-club' })}>
          ${t.club.offer.skip}
        </button>
      </div>
      <button class="btn quiet" data-testid="back" @click=${() => this.send({ type: 'back' })}>
        ${t.club.back}
      </button>
    </section>`;
  }
}

/**
 * The login push is on the customer's phone. The code is the one thing to compare, so it is the
 * largest thing on the screen, spaced so it reads at arm's length.
 */
export class ClubConsentScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .code {
        font-size: calc(var(--display) * 1.25);
        font-weight: 800;
        letter-spacing: 0.12em;
        font-variant-numeric: tabular-nums;
        padding: 0.15em 0.6em;
        border-radius: var(--radius);
        background: var(--surface);
        border: 3px solid var(--accent);
      }
      .timer {
        display: inline-flex;
        align-items: center;
        gap: 0.5em;
        color: var(--ink-muted);
      }
      .skip {
        min-width: 12em;
      }
    `,
  ];

  private readonly countdown = new Countdown(this, () => this.clockOffset);

  override render() {
    const { t } = this;
    const consent = this.model.club?.consent;
    return html`<section class="screen center">
      <div class="badge">${icon('phone')}</div>
      <h1 class="title">${t.club.consent.title}</h1>
      <p class="lead" data-testid="consent-detail">
        ${consent?.notice ? t.club.consent.notice[consent.notice] : t.club.consent.detail}
      </p>
      ${
        // A request already waiting in the app came from elsewhere, with a code of its own: ours would mislead.
        consent && consent.notice !== 'already-waiting'
          ? html`<p class="code" data-testid="binding-message" aria-label="${t.club.consent.code} ${spelt(consent.bindingMessage)}">
              ${consent.bindingMessage}
            </p>`
          : nothing
      }
      ${consent?.expiresAt ? this.timer(consent.expiresAt) : nothing}
      <div class="actions">
        <button class="btn secondary large skip" data-testid="skip-club" @click=${() => this.send({ type: 'skip-club' })}>
          ${consent?.cashierStarted ? t.club.consent.notNow : t.club.consent.skip}
        </button>
        ${
          // The cashier's enrolment has no basket behind it to go back to: "not now" is the one way out.
          consent?.cashierStarted
            ? nothing
            : html`<button class="btn quiet" data-testid="back" @click=${() => this.send({ type: 'back' })}>
                ${t.club.back}
              </button>`
        }
      </div>
    </section>`;
  }

  private timer(expiresAt: number) {
    const left = formatCountdown(this.countdown.secondsUntil(expiresAt));
    const label = this.t.club.consent.timeLeft;
    return html`<p class="timer" role="timer" aria-label="${label} ${left}">
      ${icon('clock')}<span>${label}</span><span class="num">${left}</span>
    </p>`;
  }
}

/** A screen reader reads "HJK-479" letter by letter, not as a word. */
function spelt(code: string): string {
  return [...code.replace(/-/g, '')].join(' ');
}
