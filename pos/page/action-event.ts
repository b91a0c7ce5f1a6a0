import type { RegisterAction } from '../sale/register-model.js';

/** Bubbles out of every shadow root to the app, which sends it to the till's server. */
export class ActionEvent extends Event {
  readonly action: RegisterAction;

  constructor(action: RegisterAction) {
    super('register-action', { bubbles: true, composed: true });
    this.action = action;
  }
}

declare global {
  interface HTMLElementEventMap {
    'register-action': ActionEvent;
  }
}
