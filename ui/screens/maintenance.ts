import { css, html } from 'lit';
import { icon } from '../parts/icons.js';
import { ScreenElement } from './screen-element.js';

/** Out of order (HQ's maintenance switch): nothing to press, just where to go instead. */
export class MaintenanceScreen extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .center {
        gap: var(--gap);
      }
      .badge {
        width: clamp(80px, 20vmin, 200px);
        color: var(--ink-muted);
      }
    `,
  ];

  override render() {
    const { title, detail } = this.t.maintenance;
    return html`<section class="screen center">
      <div class="badge">${icon('cloudOff')}</div>
      <h1 class="title">${title}</h1>
      <p class="lead">${detail}</p>
    </section>`;
  }
}
