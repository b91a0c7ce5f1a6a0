// Who may change the sandbox through `/_sandbox/`: tools without a browser (tests, the demo, curl) and
// pages the sandbox served itself (the phone page). A page on another origin — or on an attacker's name
// rebound to this address — must not approve a payment as the customer. JSON keeps a browser's request
// from being a "simple" one that is sent before any check.

import { isIP } from 'node:net';
import { refuse } from './control-body.js';
import { header, type SandboxRequest } from './http.js';

const READS = new Set(['GET', 'HEAD']);

/** Throws the refusal for a state-changing control request a foreign page sent; reads pass. */
export function checkControlCaller(request: SandboxRequest): void {
  if (READS.has(request.method)) return;
  const origin = header(request, 'origin');
  if (origin !== undefined && !isOwnOrigin(origin, header(request, 'host'))) {
    throw refuse(403, 'control requests from a page on another origin are refused');
  }
  const type = header(request, 'content-type');
  if (type !== undefined && type.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw refuse(415, 'Content-Type must be application/json');
  }
}

/**
 * Same origin as the address asked for, and that address an IP literal or `localhost`: a DNS-rebound
 * page is same-origin with its own name, but it never has an IP literal for one. An IP keeps the phone
 * page working from a real phone when the sandbox listens on the LAN.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.host !== host.toLowerCase()) return false;
  const name = url.hostname.replace(/^\[|\]$/g, '');
  return name === 'localhost' || isIP(name) !== 0;
}
