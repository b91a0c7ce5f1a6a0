import { describe, expect, it } from 'vitest';
import { classifyScan, type ScanResult } from '../../../device/checkout/domain/scan.js';

const V1 = 'https://qr.vipps.no/28/2/01/031/4712345678?v=1';
const V2 = 'https://qr.vipps.no/p/qwjhewqhueheuqwhuqwhe';

const product = (gtin: string): ScanResult => ({ kind: 'product', gtin });
const qr = (text: string): ScanResult => ({ kind: 'personal-qr', text });
const no = (reason: string): ScanResult => ({ kind: 'unrecognised', reason }) as ScanResult;
const garbled: ScanResult = {
  kind: 'unrecognised',
  reason: 'garbled-vipps-qr',
  hint: 'scanner-keyboard-layout',
};

describe('classifyScan: products', () => {
  it.each<[string, string, ScanResult]>([
    ['EAN-13', '4006381333931', product('4006381333931')],
    ['EAN-13 in-store', '2000000000015', product('2000000000015')],
    ['EAN-13 with leading 0', '0036000291452', product('0036000291452')],
    ['UPC-A becomes EAN-13', '036000291452', product('0036000291452')],
    ['EAN-8', '96385074', product('96385074')],
    ['EAN-13 with CR LF from a keyboard wedge', '4006381333931\r\n', product('4006381333931')],
    ['EAN-8 with spaces and tab around', ' \t96385074 ', product('96385074')],
    ['EAN-13 bad check digit', '4006381333932', no('bad-check-digit')],
    ['UPC-A bad check digit', '036000291453', no('bad-check-digit')],
    ['EAN-8 bad check digit', '96385075', no('bad-check-digit')],
    ['eleven digits', '40063813339', no('unknown-code')],
    ['fourteen digits', '04006381333931', no('unknown-code')],
    ['digits with a space inside', '4006381 333931', no('unknown-code')],
    ['full-width digits', '４００６３８１３３３９３１', no('unknown-code')],
    ['Arabic-Indic digits', '٤٠٠٦٣٨١٣٣٣٩٣١', no('unknown-code')],
    ['negative number', '-4006381333931', no('unknown-code')],
    ['number with exponent', '4e12', no('unknown-code')],
  ])('%s', (_, scanned, expected) => {
    expect(classifyScan(scanned)).toEqual(expected);
  });
});

describe('classifyScan: personal QR', () => {
  it.each<[string, string, ScanResult]>([
    ['Vipps v1 clear text', V1, qr(V1)],
    ['tokenized v2', V2, qr(V2)],
    [
      'v2 with a numeric token (ePayment example)',
      'https://qr.vipps.no/p/4796844569',
      qr('https://qr.vipps.no/p/4796844569'),
    ],
    ['v2 with - and _ in the token', 'https://qr.vipps.no/p/aB3-x_Y9', qr('https://qr.vipps.no/p/aB3-x_Y9')],
    ['v1 with a trailing CR LF: trimmed, nothing else touched', `${V1}\r\n`, qr(V1)],
    ['v2 with a leading BOM and trailing newline', `\ufeff${V2}\n`, qr(V2)],
  ])('%s', (_, scanned, expected) => {
    expect(classifyScan(scanned)).toEqual(expected);
  });

  it('hands back the text itself, not a phone number taken out of it', () => {
    const result = classifyScan(V1);
    expect(result).toEqual({ kind: 'personal-qr', text: V1 });
    expect(Object.keys(result)).toEqual(['kind', 'text']);
  });
});

describe('classifyScan: garbled Vipps QR (keyboard-wedge scanner on the wrong layout)', () => {
  it.each([
    ['Norwegian layout: / → -, : → Ø, ? → _, = → \\', 'httpsØ--qr.vipps.no-28-2-01-031-4712345678_v\\1'],
    ['Norwegian layout, v2', 'httpsØ--qr.vipps.no-p-qwjhewqhueheuqwhuqwhe'],
    [': → Æ', 'httpsÆ--qr.vipps.no-p-qwjhewqhueheuqwhuqwhe'],
    ['German layout: : → Ö', 'httpsÖ--qr.vipps.no-p-qwjhewqhueheuqwhuqwhe'],
    ['Caps Lock on', 'HTTPS://QR.VIPPS.NO/P/QWJHEWQHUEHEUQWHUQWHE'],
    ['scheme lost', 'qr.vipps.no/p/qwjhewqhueheuqwhuqwhe'],
  ])('%s', (_, scanned) => {
    expect(classifyScan(scanned)).toEqual(garbled);
  });
});

describe('classifyScan: any other form on qr.vipps.no is a customer, sent whole for Vipps to judge', () => {
  // Vipps says the content "can change at any time, without warning" (API.md §2.1): the kiosk does not
  // guess which paths are personal QRs; Vipps answers 4060 (or 7010) to what is not.
  it.each([
    ['a new path', 'https://qr.vipps.no/m/abc123'],
    ['v1 without ?v=1', 'https://qr.vipps.no/28/2/01/031/4712345678'],
    ['v1 with another version', 'https://qr.vipps.no/28/2/01/031/4712345678?v=2'],
    ['v1 with a short number', 'https://qr.vipps.no/28/2/01/031/4712?v=1'],
    ['a future tokenized form with a query', 'https://qr.vipps.no/t/2/Xy_9-a.b~c?v=3&k=Ab12'],
    ['v2 with a query', 'https://qr.vipps.no/p/abc?x=1'],
    ['v2 with a fragment', 'https://qr.vipps.no/p/abc#x'],
    ['percent-encoded bytes', 'https://qr.vipps.no/p/abc%0d%0a'],
    ['a MobilePay-style token', 'https://qr.vipps.no/p/MP.aB3-x_Y9'],
    ['255 characters in all', `https://qr.vipps.no/p/${'a'.repeat(233)}`],
  ])('%s', (_, scanned) => {
    expect(scanned.length).toBeLessThanOrEqual(255);
    expect(classifyScan(scanned)).toEqual(qr(scanned));
  });
});

describe('classifyScan: what is refused before Vipps is asked', () => {
  it.each([
    ['the bare host', 'https://qr.vipps.no/'],
    ['256 characters: more than ePayment takes', `https://qr.vipps.no/p/${'a'.repeat(234)}`],
    ['http instead of https', 'http://qr.vipps.no/p/qwjhewqhueheuqwhuqwhe'],
    ['markup, not URL characters', 'https://qr.vipps.no/p/abc<script>alert(1)</script>'],
    ['a space inside', 'https://qr.vipps.no/p/abc def'],
    ['braces', 'https://qr.vipps.no/p/{{7*7}}'],
    ['a backslash', 'https://qr.vipps.no/p\\abc'],
    ['a stray percent sign', 'https://qr.vipps.no/p/100%'],
    ['a port on the host', 'https://qr.vipps.no:8443/p/abc'],
    ['a trailing dot on the host', 'https://qr.vipps.no./p/abc'],
    ['another subdomain', 'https://www.qr.vipps.no/p/abc'],
  ])('%s', (_, scanned) => {
    expect(classifyScan(scanned)).toEqual(no('not-a-personal-qr'));
  });
});

describe('classifyScan: hostile and broken input', () => {
  it.each<[string, string, ScanResult]>([
    ['empty', '', no('empty')],
    ['only whitespace and line ends', ' \r\n\t ', no('empty')],
    ['513 characters', '1'.repeat(513), no('too-long')],
    ['a megabyte', 'A'.repeat(1_000_000), no('too-long')],
    ['512 characters is judged on its content', 'a'.repeat(512), no('unknown-code')],
    ['NUL inside a barcode', '4006381\u0000333931', no('control-characters')],
    ['ESC sequence', '\u001b[2J4006381333931', no('control-characters')],
    ['newline inside a URL', 'https://qr.vipps.no/p/abc\ndef', no('control-characters')],
    ['DEL', 'abc\u007f', no('control-characters')],
    ['C1 control', 'abc\u0085def', no('control-characters')],
    ['bidi override inside a Vipps URL', `https://qr.vipps.no/p/\u202eabc`, no('control-characters')],
    ['zero-width space inside a barcode', '4006381\u200b333931', no('control-characters')],
    ['look-alike host', 'https://qr.vipps.no.evil.example/p/abc', no('not-a-personal-qr')],
    ['credentials in the authority', 'https://qr.vipps.no@evil.example/p/abc', no('not-a-personal-qr')],
    ['other https URL', 'https://example.com/product/123', no('unknown-code')],
    ['MobilePay web link', 'https://mobilepay.dk/', no('unknown-code')],
    ['javascript URL', 'javascript:alert(1)', no('unknown-code')],
    ['SQL', "'; DROP TABLE products; --", no('unknown-code')],
    ['emoji', '🙂🙂🙂', no('unknown-code')],
    ['plain words', 'hello kiosk', no('unknown-code')],
    ['JSON', '{"gtin":"4006381333931"}', no('unknown-code')],
  ])('%s', (_, scanned, expected) => {
    expect(classifyScan(scanned)).toEqual(expected);
  });

  it('judges length before trimming, so padding cannot smuggle in a huge string', () => {
    expect(classifyScan(`${' '.repeat(600)}4006381333931`)).toEqual(no('too-long'));
  });
});
