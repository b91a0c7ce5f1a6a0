import type { CSSResultGroup } from 'lit';
import { KioskElement } from '../kiosk-element.js';
import { buttons, screen } from '../styles.js';

/** A whole screen: the shared shell (padding, type scale, cards, buttons) on top of the kiosk basics. */
export class ScreenElement extends KioskElement {
  static override styles: CSSResultGroup = [KioskElement.styles, buttons, screen];
}
