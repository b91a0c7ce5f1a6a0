import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { screenProtocols } from '../../contracts/screen-auth.js';
import type { Intent, ScreenModel } from '../../contracts/screen-model.js';
import type { ScreenKeyPress, SpeechRequest } from '../../contracts/speech.js';
import { apiGet } from './screen-token.js';

type ServerMessage =
  | { type: 'screen'; model: ScreenModel }
  /** A tactile key in speech mode: the page moves its spoken focus. */
  | { type: 'key'; press: ScreenKeyPress }
  | { type: 'error'; message: string; retryAfterSeconds?: number };

export interface ServerError {
  /** Counts up, so the same message twice is still shown twice. */
  seq: number;
  message: string;
  /** Set when the daemon paused the phone keypad (too many numbers in a row): the customer waits. */
  retryAfterSeconds?: number;
}

export interface SocketOptions {
  url: string;
  /** The daemon's per-boot token, offered as a subprotocol (see contracts/screen-auth.ts). */
  token: string;
  /** Fetched once per connection in case the daemon's first screen message is slow to come. */
  stateUrl?: string;
}

// The daemon runs on the same box, so the first retry can be quick; the cap keeps a long outage from
// leaving the screen stale for more than a few seconds after the daemon is back.
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/** `ws(s)://<this host>/api/ws`, whichever way the page itself was loaded. */
export function defaultSocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}

/**
 * Holds the one connection to the daemon. The daemon is the only source of truth, so after a drop the
 * controller simply reconnects (doubling the wait up to a cap) and renders whatever model comes next.
 */
export class SocketController implements ReactiveController {
  model: ScreenModel | null = null;
  connected = false;
  /** Daemon clock minus this browser's clock, so countdowns run on the daemon's time. */
  clockOffset = 0;
  error: ServerError | null = null;

  private readonly host: ReactiveControllerHost;
  private readonly url: string;
  private readonly token: string;
  private readonly stateUrl: string | undefined;
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private running = false;
  private readonly keyListeners = new Set<(press: ScreenKeyPress) => void>();
  /** Set when a screen message arrives, so a slower /api/state answer cannot overwrite it. */
  private modelFromSocket = false;

  constructor(host: ReactiveControllerHost, options: SocketOptions) {
    this.host = host;
    this.url = options.url;
    this.token = options.token;
    this.stateUrl = options.stateUrl;
    host.addController(this);
  }

  hostConnected(): void {
    this.running = true;
    this.open();
  }

  hostDisconnected(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
  }

  /** Dropped when there is no connection; the screen is covered by "Reconnecting…" and inert then anyway. */
  send(intent: Intent): void {
    if (this.socket?.readyState === WebSocket.OPEN)
      this.socket.send(JSON.stringify({ type: 'intent', intent }));
  }

  /** Speech mode: words for the daemon to say, or the long press that starts it. */
  sendSpeech(request: SpeechRequest): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(request));
  }

  onKey(listener: (press: ScreenKeyPress) => void): void {
    this.keyListeners.add(listener);
  }

  private open(): void {
    const socket = new WebSocket(this.url, screenProtocols(this.token));
    this.socket = socket;
    this.modelFromSocket = false;
    socket.onopen = () => {
      this.failures = 0;
      this.connected = true;
      this.host.requestUpdate();
      if (this.stateUrl) void this.fetchState(socket, this.stateUrl);
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.receive(event.data);
    };
    // A failed attempt and a dropped connection both end here; `onerror` adds nothing to act on.
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.connected = false;
      this.host.requestUpdate();
      if (this.running) this.retryLater();
    };
  }

  private retryLater(): void {
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(data: string): void {
    let message: ServerMessage | null;
    try {
      message = JSON.parse(data) as ServerMessage | null;
    } catch {
      console.warn('kiosk: ignoring a message that is not JSON', data.slice(0, 200));
      return;
    }
    if (message?.type === 'screen') {
      this.modelFromSocket = true;
      this.apply(message.model);
    } else if (message?.type === 'key') {
      for (const listener of this.keyListeners) listener(message.press);
    } else if (message?.type === 'error') {
      console.warn('kiosk: the daemon refused:', message.message);
      const { message: text, retryAfterSeconds } = message;
      this.error = {
        seq: (this.error?.seq ?? 0) + 1,
        message: text,
        ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      };
      this.host.requestUpdate();
    }
  }

  private apply(model: ScreenModel): void {
    this.model = model;
    this.clockOffset = model.now - Date.now();
    this.host.requestUpdate();
  }

  private async fetchState(socket: WebSocket, url: string): Promise<void> {
    try {
      const response = await apiGet(url, this.token);
      if (!response.ok) return;
      const { model } = (await response.json()) as { model: ScreenModel };
      if (this.socket === socket && !this.modelFromSocket) this.apply(model);
    } catch {
      // The socket's own screen message will do.
    }
  }
}
