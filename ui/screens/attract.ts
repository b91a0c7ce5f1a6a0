import { css, html, nothing } from 'lit';
import { type IconName, icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

const STEP_ICONS: readonly IconName[] = ['scan', 'qr', 'phone'];

/** Nobody is using the kiosk. Scanning is the action, so there is no button: just how it works. */
export class AttractScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .center {
        gap: var(--gap);
      }
      .badge {
        position: relative;
        width: clamp(80px, 22vmin, 240px);
      }
      .badge::after {
        content: '';
        position: absolute;
        inset: 0;
        border-radius: 50%;
        border: 3px solid var(--accent);
        animation: ripple 2.4s ease-out infinite;
      }
      @keyframes ripple {
        from {
          opacity: 0.7;
          transform: scale(1);
        }
        to {
          opacity: 0;
          transform: scale(1.35);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .badge::after {
          display: none;
        }
      }
      ol {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 13em));
        gap: var(--space);
        list-style: none;
        counter-reset: step;
      }
      li {
        display: grid;
        justify-items: center;
        align-content: start;
        gap: calc(var(--space) * 0.6);
        padding: var(--space);
        font-size: var(--text-small);
        color: var(--ink-muted);
        counter-increment: step;
      }
      li .icon {
        width: 2em;
        height: 2em;
        color: var(--ink);
      }
      .recovered {
        font-size: var(--text-small);
        color: var(--ink-muted);
      }
      li::before {
        content: counter(step);
        display: grid;
        place-items: center;
        width: 1.8em;
        height: 1.8em;
        border-radius: 50%;
        background: var(--ink);
        color: var(--surface);
        font-weight: 750;
      }
    `,
  ];

  override render() {
    const { t } = this;
    return html`<section class="screen center">
      <div class="badge">${icon('scan')}</div>
      <h1 class="title">${t.attract.title}</h1>
      <ol>
        ${t.attract.steps.map((step, i) => html`<li class="card">${icon(STEP_ICONS[i]!)}<span>${step}</span></li>`)}
      </ol>
      ${this.recovered()}
    </section>`;
  }

  /** Staff-facing and quiet: a customer starting to scan need not read it. */
  private recovered() {
    const recovery = this.model.recovery;
    if (!recovery) return nothing;
    return html`<p class="recovered" data-testid="recovery-notice" role="status">
      ${this.t.attract.recovered(recovery.captured, recovery.cancelled, recovery.unresolved)}
    </p>`;
  }
}
