import { css, html, type PropertyValues } from 'lit';
import type { ScanFeedback } from '../../contracts/screen-model.js';
import { KioskElement } from '../base/kiosk-element.js';
import type { ServerError } from '../base/socket-controller.js';
import { icon } from './icons.js';

type Shown =
  | { kind: ScanFeedback['kind']; subject: string }
  | { kind: 'server-error' }
  | { kind: 'phone-wait' };

const GOOD: ReadonlySet<Shown['kind']> = new Set(['added', 'customer']);

/**
 * Every scan gets visible feedback, even when the screen does not otherwise change: a toast that appears
 * whenever `feedback.seq` moves on. It stays in the DOM as a live region so screen readers hear it too.
 * A message belongs to the screen it was raised on: the next screen never starts under an old toast
 * (at 800x480 it would cover the identify screen's "or type your number" and the club code's heading).
 */
export class ScanToast extends KioskElement {
  static override properties = {
    error: { attribute: false },
    shown: { state: true },
    visible: { state: true },
  };

  static override styles = [
    KioskElement.styles,
    css`
      :host {
        position: fixed;
        top: calc(var(--tap) + var(--space) * 2.5);
        left: 0;
        right: 0;
        z-index: 15;
        display: flex;
        justify-content: center;
        padding: 0 var(--gap);
        pointer-events: none;
      }
      .toast {
        display: flex;
        align-items: center;
        gap: 0.6em;
        max-width: 100%;
        padding: 0.7em 1.2em;
        border-radius: 999px;
        font-size: var(--text-large);
        font-weight: 650;
        box-shadow: 0 8px 28px rgb(28 25 23 / 18%);
        visibility: hidden;
        opacity: 0;
        transform: translateY(-12px);
        transition: opacity 180ms ease-out, transform 180ms ease-out, visibility 0s linear 180ms;
      }
      .toast.visible {
        visibility: visible;
        opacity: 1;
        transform: none;
        transition: opacity 180ms ease-out, transform 180ms ease-out;
      }
      .good {
        background: var(--success-soft);
        color: var(--success);
      }
      .problem {
        background: var(--danger-soft);
        color: var(--danger);
      }
      .text {
        color: var(--ink);
      }
    `,
  ];

  declare error: ServerError | null;
  declare shown: Shown | null;
  declare visible: boolean;

  private seenFeedback: number | undefined;
  /** The screen the message was raised on: it belongs there and goes when the customer moves on. */
  private raisedOn: string | undefined;
  private seenError: number | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.error = null;
    this.shown = null;
    this.visible = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.visible && this.model.screen !== this.raisedOn) this.hide();
    const feedback = this.model.feedback;
    if (feedback && feedback.seq !== this.seenFeedback) {
      this.seenFeedback = feedback.seq;
      this.show({ kind: feedback.kind, subject: feedback.subject ?? '' });
    }
    if (this.error && this.error.seq !== this.seenError) {
      this.seenError = this.error.seq;
      this.show({ kind: this.error.retryAfterSeconds ? 'phone-wait' : 'server-error' });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.hideTimer);
  }

  private show(shown: Shown): void {
    this.shown = shown;
    this.visible = true;
    this.raisedOn = this.model.screen;
    clearTimeout(this.hideTimer);
    // Problems stay longer: someone may have to fetch staff or read a code off the screen.
    const ms = GOOD.has(shown.kind) ? 3_000 : 6_000;
    this.hideTimer = setTimeout(() => this.hide(), ms);
  }

  private hide(): void {
    clearTimeout(this.hideTimer);
    this.visible = false;
  }

  override render() {
    const { shown } = this;
    const good = shown !== null && GOOD.has(shown.kind);
    const text =
      shown === null
        ? ''
        : shown.kind === 'server-error'
          ? this.t.app.serverError
          : shown.kind === 'phone-wait'
            ? this.t.app.phoneWait
            : this.t.feedback[shown.kind](shown.subject);
    return html`<div
      class="toast ${good ? 'good' : 'problem'} ${this.visible ? 'visible' : ''}"
      role="status"
      aria-live="polite"
      data-testid="scan-feedback"
      data-kind=${shown?.kind ?? ''}
    >
      ${shown ? icon(good ? 'check' : 'info') : ''}<span class="text">${text}</span>
    </div>`;
  }
}
