import { z } from 'zod';

// The one rule for every URL a program is configured with (the kiosk's config, provisioning, the
// enrolment code, `hq watch`, the webhook relay): outside the machine itself, only an encrypted
// transport. A plain one hands the broker password, the CRM token or the Vipps keys to anyone on the
// path (the store's Wi-Fi, a hotel network, a compromised router). Plain schemes stay allowed to the
// loopback addresses, where the demo, the sandbox and the tests run and nothing crosses a wire.

export interface UrlRule {
  /** The encrypted schemes, without `://`, e.g. `['mqtts', 'wss']`. */
  secure: readonly string[];
  /** Their plain twins, accepted to a loopback host only, e.g. `['mqtt', 'ws']`. */
  plain: readonly string[];
  /** What the URL points at, for "expected an https:// URL of …". */
  of: string;
  /** What a plain transport would give away, for "mqtt:// sends … in clear text". */
  exposes: string;
  /** A good URL to copy the form from. */
  example: string;
}

export const BROKER_URL_RULE: UrlRule = {
  secure: ['mqtts', 'wss'],
  plain: ['mqtt', 'ws'],
  of: 'the HQ broker',
  exposes: 'the broker password and every message',
  example: 'mqtts://hq.example.com:8883',
};

/** An HTTPS service; `of` and `exposes` name which one and what it carries. */
export function httpsUrlRule(of: string, exposes: string, example: string): UrlRule {
  return { secure: ['https'], plain: ['http'], of, exposes, example };
}

/** 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and localhost: this machine, no wire between. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
  );
}

const LOOPBACK_WORDS = '127.0.0.1, ::1 or localhost';

/** Undefined when `text` obeys `rule`; else what is wrong and what to write instead, for a field tech. */
export function urlProblem(text: string, rule: UrlRule): string | undefined {
  const schemes = rule.secure.map((scheme) => `${scheme}://`).join(' or ');
  const expected = `expected an ${schemes} URL of ${rule.of}, e.g. ${rule.example}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return expected;
  }
  const scheme = url.protocol.slice(0, -1);
  if (rule.secure.includes(scheme)) return undefined;
  if (!rule.plain.includes(scheme)) return `${scheme}:// is not a way to reach ${rule.of}; ${expected}`;
  if (isLoopbackHost(url.hostname)) return undefined;
  return (
    `${scheme}:// sends ${rule.exposes} in clear text; use ${schemes} ` +
    `(plain ${scheme}:// only to ${LOOPBACK_WORDS}), e.g. ${rule.example}`
  );
}

/** A string that must be a URL obeying `rule`; the issue's message is {@link urlProblem}'s. */
export function secureUrlShape(rule: UrlRule) {
  return z
    .string({ error: `expected an ${rule.secure.join(':// or ')}:// URL of ${rule.of}` })
    .superRefine((text, context) => {
      const problem = urlProblem(text, rule);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    });
}

/** `mqtts://kiosk:s3cret@hq:8883` → `mqtts://hq:8883`: a URL that can be shown, logged or sent. */
export function withoutCredentials(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL the parser takes: cut whatever sits between `//` and an `@`.
    return text.replace(/\/\/[^/@\s]*@/, '//');
  }
  if (url.username === '' && url.password === '') return text;
  url.username = '';
  url.password = '';
  return url.toString();
}
