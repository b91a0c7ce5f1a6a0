import { type CSSResultGroup, html, nothing } from 'lit';
import { KioskElement } from '../base/kiosk-element.js';
import { buttons, screen } from '../base/styles.js';

/** A whole screen: the shared shell (padding, type scale, cards, buttons) on top of the kiosk basics. */
export class ScreenElement extends KioskElement {
  static override styles: CSSResultGroup = [KioskElement.styles, buttons, screen];

  /** Which prices the customer pays, on every screen of the payment, so the amount never surprises. */
  protected clubNote() {
    const club = this.model.club;
    const note = club?.loginLeftOpen
      ? this.t.club.loginLeftOpen
      : club
        ? this.t.club.outcome[club.status]
        : undefined;
    return note ? html`<p class="club-note" data-testid="club-note">${note}</p>` : nothing;
  }

  /** The member saving under a total; nothing when there is none. */
  protected savedNote(savings: number) {
    return savings > 0
      ? html`<p class="saved" data-testid="savings">${this.t.club.saved(this.money(savings))}</p>`
      : nothing;
  }
}
