import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ScreenModel } from '../../contracts/screen-model.js';
import type { ScreenKeyPress } from '../../contracts/speech.js';
import type { SocketController } from '../base/socket-controller.js';
import { messagesOf } from '../i18n/index.js';
import type { Messages } from '../i18n/messages.js';
import { screenScript, spell } from './screen-script.js';
import { backButton, focusable, keypadDigits, spokenName } from './speech-focus.js';

/** How long a finger rests on the screen to start speech mode (EN 301 549: started without seeing). */
export const LONG_PRESS_MS = 2_000;
/** A finger that moves further than this is scrolling or tapping, not holding. */
const LONG_PRESS_SLOP_PX = 24;
const POINTER_ENDS = ['pointerup', 'pointercancel', 'pointerleave'] as const;

/**
 * Speech mode, the page's half: in speech mode it says each screen as it appears (and each scan, and
 * each refusal), and moves a spoken focus with the tactile keys the daemon passes on. The daemon speaks;
 * this only decides the words. A long press anywhere on the screen starts speech mode.
 */
export class SpeechController implements ReactiveController {
  private spokenState = '';
  private feedbackSeq: number | null = null;
  private errorSeq = 0;
  private wasOn = false;
  private focused: HTMLElement | null = null;
  private pressTimer: ReturnType<typeof setTimeout> | undefined;
  private pressAt: { x: number; y: number } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly socket: SocketController,
  ) {
    host.addController(this);
    socket.onKey((press) => void this.key(press));
  }

  hostConnected(): void {
    this.host.addEventListener('pointerdown', this.pointerDown);
    for (const type of POINTER_ENDS) this.host.addEventListener(type, this.pointerUp);
    this.host.addEventListener('pointermove', this.pointerMove);
  }

  hostDisconnected(): void {
    clearTimeout(this.pressTimer);
    this.host.removeEventListener('pointerdown', this.pointerDown);
    for (const type of POINTER_ENDS) this.host.removeEventListener(type, this.pointerUp);
    this.host.removeEventListener('pointermove', this.pointerMove);
  }

  hostUpdated(): void {
    const model = this.socket.model;
    if (!model) return;
    const t = messagesOf(model.language, model.market);
    const on = model.speech?.on === true;
    const state = stateOf(model);
    const feedback = model.feedback?.seq ?? 0;
    const error = this.socket.error;
    const started = on && !this.wasOn;
    const screenChanged = state !== this.spokenState;
    const scanned = this.feedbackSeq !== null && feedback !== this.feedbackSeq && model.feedback !== null;
    const refused = error !== null && error.seq !== this.errorSeq;
    this.wasOn = on;
    this.spokenState = state;
    this.feedbackSeq = feedback;
    this.errorSeq = error?.seq ?? 0;
    if (screenChanged) this.focused = null;
    if (!on) return;
    const parts: string[] = [];
    if (started) parts.push(t.speech.started);
    if (scanned && model.feedback) parts.push(t.feedback[model.feedback.kind](model.feedback.subject ?? ''));
    if (refused) parts.push(error.retryAfterSeconds ? t.app.phoneWait : t.app.serverError);
    if (started || screenChanged || scanned) parts.push(this.script(model, t));
    if (parts.length > 0) this.say(parts.map(sentence).join(' '), model);
  }

  private script(model: ScreenModel, t: Messages): string {
    return screenScript(model, t, Date.now() + this.socket.clockOffset);
  }

  private async key(press: ScreenKeyPress): Promise<void> {
    const model = this.socket.model;
    const root = this.host.shadowRoot;
    if (!model || !root || model.speech?.on !== true) return;
    const t = messagesOf(model.language, model.market);
    const elements = focusable(root);
    const at = this.focused ? elements.indexOf(this.focused) : -1;
    switch (press.key) {
      case 'next':
      case 'previous': {
        if (elements.length === 0) return this.say(t.speech.nothingHere, model);
        const step = press.key === 'next' ? 1 : -1;
        const index = at === -1 ? (step === 1 ? 0 : elements.length - 1) : at + step;
        const target = elements[(index + elements.length) % elements.length]!;
        this.focused = target;
        target.focus({ focusVisible: true } as FocusOptions);
        return this.say(spokenName(target, t.speech.button), model);
      }
      case 'select': {
        const target = at === -1 ? undefined : elements[at];
        if (!target) return this.say(this.script(model, t), model);
        if (!(target instanceof HTMLButtonElement))
          return this.say(spokenName(target, t.speech.button), model);
        target.click();
        const digits = await keypadDigits(target);
        if (digits !== null) this.say(t.speech.identify.typed(spell(digits)), model);
        return;
      }
      case 'back': {
        const back = backButton(elements);
        if (back) back.click();
        else this.say(t.speech.nothingHere, model);
        return;
      }
    }
  }

  private say(text: string, model: ScreenModel): void {
    this.socket.sendSpeech({ type: 'speak', text, lang: model.language, interrupt: true });
  }

  private readonly pointerDown = (event: PointerEvent) => {
    clearTimeout(this.pressTimer);
    this.pressAt = { x: event.clientX, y: event.clientY };
    this.pressTimer = setTimeout(() => {
      this.pressAt = null;
      if (this.socket.model?.speech && !this.socket.model.speech.on)
        this.socket.sendSpeech({ type: 'speech-mode', on: true });
    }, LONG_PRESS_MS);
  };

  private readonly pointerMove = (event: PointerEvent) => {
    if (!this.pressAt) return;
    if (Math.hypot(event.clientX - this.pressAt.x, event.clientY - this.pressAt.y) > LONG_PRESS_SLOP_PX)
      this.pointerUp();
  };

  private readonly pointerUp = () => {
    clearTimeout(this.pressTimer);
    this.pressAt = null;
  };
}

/** Screen texts are written for the eye and may end without a stop; a voice needs one between them. */
function sentence(text: string): string {
  return /[.!?…:]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** What makes a screen say itself again: the screen and the states it words differently. */
function stateOf(model: ScreenModel): string {
  return [
    model.screen,
    model.declined?.reason,
    model.club?.consent?.notice,
    model.idleWarning ? 'idle' : '',
    model.receipt ? 'receipt' : '',
  ].join('|');
}
