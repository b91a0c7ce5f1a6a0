import diagnostics from 'node:diagnostics_channel';

// Watches the HTTP requests the kiosk's undici pool makes, through undici's own diagnostics channels:
// nothing of ours is wrapped or replaced. Node's built-in fetch (the tests' control calls) publishes on
// the same channels, so only requests to the Vipps paths are counted.

interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
}

interface UndiciResponse {
  statusCode: number;
  headers: Array<Buffer | string>;
}

export type TrafficEvent =
  | { type: 'request'; method: string; path: string }
  | { type: 'answer'; method: string; path: string; status: number; retryAfter: string | undefined }
  | { type: 'sleep'; ms: number };

const isVippsPath = (path: string) => !path.startsWith('/_sandbox/') && !path.startsWith('/phone');

function headerOf(headers: Array<Buffer | string>, name: string): string | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

export class VippsTraffic {
  readonly events: TrafficEvent[] = [];
  private readonly onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const path = request.path ?? '';
    if (isVippsPath(path)) this.events.push({ type: 'request', method: request.method ?? '', path });
  };
  private readonly onHeaders = (message: unknown) => {
    const { request, response } = message as { request: UndiciRequest; response: UndiciResponse };
    const path = request.path ?? '';
    if (!isVippsPath(path)) return;
    this.events.push({
      type: 'answer',
      method: request.method ?? '',
      path,
      status: response.statusCode,
      retryAfter: headerOf(response.headers, 'retry-after'),
    });
  };

  start(): this {
    diagnostics.subscribe('undici:request:create', this.onCreate);
    diagnostics.subscribe('undici:request:headers', this.onHeaders);
    return this;
  }

  stop(): void {
    diagnostics.unsubscribe('undici:request:create', this.onCreate);
    diagnostics.unsubscribe('undici:request:headers', this.onHeaders);
  }

  /** The client's retry sleep: records what it was asked to wait, then waits at most `capMs`. */
  sleeper(capMs = 2): (ms: number) => Promise<void> {
    return (ms) => {
      this.events.push({ type: 'sleep', ms });
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, capMs)));
    };
  }

  requests(): number {
    return this.events.filter((e) => e.type === 'request').length;
  }

  /**
   * Every 429 that the client retried: was the wait it asked for at least the Retry-After?
   * (A 429 on the last attempt is not retried, so no sleep follows it.)
   */
  retryAfterChecks(): { retried: number; honoured: number; violations: string[] } {
    let retried = 0;
    let honoured = 0;
    const violations: string[] = [];
    this.events.forEach((event, i) => {
      if (event.type !== 'answer' || event.status !== 429 || event.retryAfter === undefined) return;
      const next = this.events[i + 1];
      if (next?.type !== 'sleep') return;
      // Recovery calls Vipps beside the checkout: a sleep counts as this answer's only if the retry of the
      // same call follows it.
      const retry = this.events[i + 2];
      if (retry?.type !== 'request' || retry.method !== event.method || retry.path !== event.path) return;
      retried++;
      const wantedMs = Number(event.retryAfter) * 1000;
      if (next.ms >= wantedMs) honoured++;
      else
        violations.push(
          `${event.method} ${event.path}: Retry-After ${event.retryAfter} s, waited ${next.ms} ms`,
        );
    });
    return { retried, honoured, violations };
  }
}
