import { css, html, LitElement, nothing } from 'lit';
import { literal, type StaticValue, html as staticHtml } from 'lit/static-html.js';
import type { ScreenModel, ScreenName } from '../contracts/screen-model.js';
import { screenToken } from './base/screen-token.js';
import { defaultSocketUrl, SocketController } from './base/socket-controller.js';
import { base, screen } from './base/styles.js';
import { highContrast, tokens } from './base/theme.js';
import { CATALOGS, DEFAULT_LANGUAGE, messagesOf } from './i18n/index.js';
import { SpeechController } from './speech/speech-controller.js';

/** Every screen name has its element; a new name in the contract without one fails to compile. */
const SCREEN_TAGS: Readonly<Record<ScreenName, StaticValue>> = {
  attract: literal`screen-attract`,
  basket: literal`screen-basket`,
  identify: literal`screen-identify`,
  paying: literal`screen-paying`,
  'awaiting-approval': literal`screen-awaiting-approval`,
  cancelling: literal`screen-cancelling`,
  capturing: literal`screen-capturing`,
  approved: literal`screen-approved`,
  declined: literal`screen-declined`,
  unavailable: literal`screen-unavailable`,
  maintenance: literal`screen-maintenance`,
  'club-checking': literal`screen-club-checking`,
  'club-offer': literal`screen-club-offer`,
  'club-consent': literal`screen-club-consent`,
  'out-of-order': literal`screen-out-of-order`,
  staff: literal`screen-staff`,
};

/**
 * The whole kiosk screen: header, the current screen, and the overlays (scan feedback, idle warning,
 * demo panel). It renders whatever model the daemon last sent and forwards intents back.
 */
export class KioskApp extends LitElement {
  static override styles = [
    tokens,
    highContrast,
    base,
    screen,
    css`
      :host {
        display: block;
        height: 100vh;
        height: 100dvh;
        overflow: hidden;
        background: var(--canvas);
      }
      .kiosk {
        height: 100%;
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--space);
        padding: calc(var(--space) * 0.6) var(--gap);
        background: var(--surface);
        border-bottom: 1px solid var(--line);
        container-type: inline-size;
      }
      .brand {
        display: flex;
        align-items: baseline;
        gap: 0.8em;
        min-width: 0;
        white-space: nowrap;
      }
      .brand::before {
        content: '';
        align-self: center;
        flex: none;
        width: 0.7em;
        height: 0.7em;
        border-radius: 50%;
        background: var(--accent);
      }
      .store {
        font-weight: 750;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .tagline {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      @container (max-width: 860px) {
        .tagline {
          display: none;
        }
      }
      .tools {
        display: flex;
        align-items: center;
        gap: var(--space);
        flex: none;
      }
      main {
        min-height: 0;
        overflow-y: var(--main-overflow, visible);
      }
      /* In the large-text theme the screen scrolls, so a keyboard must be able to reach and scroll it. */
      main:focus-visible {
        outline: 4px solid var(--ink);
        outline-offset: -4px;
      }
      .training {
        margin: 0;
        padding: 0.2em 0.8em;
        border: 2px solid var(--danger);
        border-radius: var(--radius);
        background: var(--danger-soft);
        color: var(--ink);
        font-weight: 750;
        white-space: nowrap;
      }
      .cover {
        position: fixed;
        inset: 0;
        z-index: 30;
        background: var(--canvas);
      }
    `,
  ];

  private readonly socket = new SocketController(this, {
    url: defaultSocketUrl(location),
    token: screenToken(location),
    stateUrl: '/api/state',
  });

  constructor() {
    super();
    // Speech mode: says each screen through the daemon and moves the spoken focus with the tactile keys.
    new SpeechController(this, this.socket);
    this.addEventListener('kiosk-intent', (event) => {
      event.stopPropagation();
      this.socket.send(event.intent);
    });
  }

  override render() {
    const { model, connected } = this.socket;
    return html`${model ? this.kiosk(model, connected) : nothing}
    ${connected && model ? nothing : this.cover(model)}`;
  }

  // The kiosk stays in the DOM under the cover while reconnecting, so typed digits and the scan toast's
  // memory survive a daemon restart; `inert` keeps taps from reaching it.
  private kiosk(model: ScreenModel, connected: boolean) {
    const t = messagesOf(model.language, model.market);
    const tag = SCREEN_TAGS[model.screen];
    const offset = this.socket.clockOffset;
    return html`<div class="kiosk" ?inert=${!connected || model.idleWarning !== null}>
        <header>
          <div class="brand">
            <span class="store">${model.storeName}</span>
            <span class="tagline label">${t.app.tagline}</span>
          </div>
          ${
            model.training
              ? html`<p class="training" role="status" data-testid="training-banner">${t.training.banner}</p>`
              : nothing
          }
          <div class="tools">
            ${model.demo ? html`<demo-panel .model=${model}></demo-panel>` : nothing}
            <theme-toggle .model=${model}></theme-toggle>
            <language-picker .model=${model}></language-picker>
          </div>
        </header>
        <main tabindex=${model.theme === 'high-contrast' ? 0 : nothing}>
          ${staticHtml`<${tag} data-testid="screen-${model.screen}" .model=${model} .clockOffset=${offset}></${tag}>`}
        </main>
      </div>
      <scan-toast .model=${model} .error=${this.socket.error}></scan-toast>
      ${model.idleWarning ? html`<idle-warning .model=${model} .clockOffset=${offset}></idle-warning>` : nothing}
      <p class="sr-only" aria-live="polite">${t.app.announce[model.screen]}</p>`;
  }

  private cover(model: ScreenModel | null) {
    const t = CATALOGS[model?.language ?? DEFAULT_LANGUAGE];
    return html`<div class="cover screen center" role="status" data-testid="reconnecting">
      <div class="spinner" aria-hidden="true"></div>
      <h1 class="title">${model ? t.app.reconnecting : t.app.connecting}</h1>
      ${model ? html`<p class="lead">${t.app.reconnectingDetail}</p>` : nothing}
    </div>`;
  }

  protected override updated(): void {
    const model = this.socket.model;
    if (!model) return;
    document.documentElement.lang = model.language;
    // The theme's tokens hang on this attribute (theme.ts), and inherit into every shadow root.
    this.setAttribute('theme', model.theme);
  }
}
