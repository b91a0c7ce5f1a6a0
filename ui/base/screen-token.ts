import { screenAuthorization, TOKEN_FRAGMENT_PARAMETER } from '../../contracts/screen-auth.js';

/**
 * The daemon's per-boot token, from the page's fragment (`#screen-token=…`): the screen unit opens the
 * page that way, and a fragment is never sent to a server, so it is in no request line and no log.
 * Empty when the page was opened without it: the daemon then refuses the socket and the API.
 */
export function screenToken(location: Location): string {
  return new URLSearchParams(location.hash.slice(1)).get(TOKEN_FRAGMENT_PARAMETER) ?? '';
}

/** A GET of one of the daemon's `/api/` resources, as the screen: with its token. */
export function apiGet(url: string, token: string): Promise<Response> {
  return fetch(url, { cache: 'no-store', headers: { authorization: screenAuthorization(token) } });
}
