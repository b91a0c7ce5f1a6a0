// How the screen proves it is the screen: the daemon's per-boot token travels in the page's URL fragment
// (never sent to a server, never in a log), then on the WebSocket as a subprotocol and on API calls as a
// bearer header. Shared by the daemon (device/server) and the screen (ui/).

/** The subprotocol the daemon selects; the screen offers it together with its token. */
export const SCREEN_PROTOCOL = 'vipps-kiosk.screen';

/** The second subprotocol the screen offers: this prefix, then the token (hex, a valid protocol token). */
export const TOKEN_PROTOCOL_PREFIX = 'screen-token.';

/** The fragment parameter that carries the token: `http://127.0.0.1:8080/#screen-token=…`. */
export const TOKEN_FRAGMENT_PARAMETER = 'screen-token';

/** The subprotocols a screen offers when opening the socket with `token`. */
export function screenProtocols(token: string): string[] {
  return [SCREEN_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The `Authorization` header value of the screen's API calls. */
export function screenAuthorization(token: string): string {
  return `Bearer ${token}`;
}

/** The page address that hands the screen its token: `base` is the server's `http://host:port`. */
export function screenPageUrl(base: string, token: string): string {
  return `${base}/#${TOKEN_FRAGMENT_PARAMETER}=${token}`;
}
