import CodepageEncoder, { type Codepage } from '@point-of-sale/codepage-encoder';
import type { PaperItem } from '../../contracts/demo-paper.js';

export type { PaperItem };

// ESC/POS bytes back into what the paper shows: text lines, barcodes, QR codes and cuts. The fake
// printer, the demo panel's paper strip and the tests all read a receipt through this, so what they check
// is the bytes a real printer would get, not a second rendering of the receipt. It knows the commands the
// encoder emits (and the common ones around them); anything else is kept as `unknown` rather than guessed.

export interface DecodedPaper {
  items: PaperItem[];
  /** Commands this decoder does not know, with where they start: a receipt layout should have none. */
  unknown: Array<{ offset: number; bytes: number[] }>;
  /** The stream ended inside a command or a line (a job cut halfway). */
  truncated: boolean;
}

/** ESC t table numbers as Epson (and the common clones) number them: the only ones the kiosk selects. */
export const CODE_PAGE_TABLES: Readonly<Record<number, Codepage>> = {
  0: 'cp437',
  2: 'cp850',
  5: 'cp865',
  16: 'windows1252',
  19: 'cp858',
};

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const LF = 0x0a;
const CR = 0x0d;

/** Byte -> character for every table, made once from the codepage library's own tables. */
const tables = new Map<number, string[]>();
function table(n: number): string[] | null {
  const name = CODE_PAGE_TABLES[n];
  if (!name) return null;
  let chars = tables.get(n);
  if (!chars) {
    chars = CodepageEncoder.getCodepoints(name, true).map((c) =>
      c == null ? '\uFFFD' : String.fromCodePoint(c),
    );
    tables.set(n, chars);
  }
  return chars;
}

/** CODE128 data as sent with GS k 73: a `{A`/`{B`/`{C` code set first; `{C` packs two digits a byte. */
function code128Text(data: number[]): string {
  let set = 'B';
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x7b && i + 1 < data.length) {
      const next = String.fromCharCode(data[i + 1]!);
      i++;
      if (next === 'A' || next === 'B' || next === 'C') set = next;
      else if (next === '{') out += '{';
      continue;
    }
    out += set === 'C' ? String(b).padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}

const SYMBOLOGIES: Record<number, string> = {
  65: 'upca',
  66: 'upce',
  67: 'ean13',
  68: 'ean8',
  69: 'code39',
  70: 'itf',
  71: 'codabar',
  72: 'code93',
  73: 'code128',
};

class Truncated extends Error {}

export function decodeEscPos(bytes: Uint8Array): DecodedPaper {
  const items: PaperItem[] = [];
  const unknown: DecodedPaper['unknown'] = [];
  let codeTable = 0;
  let bold = false;
  let align: 'left' | 'center' | 'right' = 'left';
  let size = 1;
  let line = '';
  let lineStarted = false;
  let qrData = '';
  let i = 0;

  const need = (n: number) => {
    if (i + n > bytes.length) throw new Truncated();
  };
  const take = (n: number): number[] => {
    need(n);
    const out = Array.from(bytes.subarray(i, i + n));
    i += n;
    return out;
  };
  const endLine = () => {
    items.push({ kind: 'text', text: line.trimEnd(), bold, align, size });
    line = '';
    lineStarted = false;
  };
  const reset = () => {
    codeTable = 0;
    bold = false;
    align = 'left';
    size = 1;
  };

  try {
    while (i < bytes.length) {
      const start = i;
      const b = bytes[i++]!;
      if (b === LF) endLine();
      else if (b === CR) continue;
      else if (b === ESC) {
        const [c] = take(1);
        switch (c) {
          case 0x40: // ESC @: initialise
            reset();
            break;
          case 0x74: // ESC t n: code page
            codeTable = take(1)[0]!;
            break;
          case 0x45: // ESC E n: bold
          case 0x47: // ESC G n: double strike, printed alike
            bold = (take(1)[0]! & 1) === 1;
            break;
          case 0x61: {
            // ESC a n: justification
            const n = take(1)[0]! % 48;
            align = n === 1 ? 'center' : n === 2 ? 'right' : 'left';
            break;
          }
          case 0x64: // ESC d n: feed n lines
          case 0x65: {
            const n = take(1)[0]!;
            if (lineStarted) endLine();
            for (let k = 0; k < n; k++) endLine();
            break;
          }
          case 0x21: {
            // ESC ! n: print mode (bold bit 3, double height/width bits 4/5)
            const n = take(1)[0]!;
            bold = (n & 0x08) !== 0;
            size = n & 0x30 ? 2 : 1;
            break;
          }
          case 0x2d: // ESC - n: underline
          case 0x34: // ESC 4 n: italic
          case 0x4d: // ESC M n: font
          case 0x33: // ESC 3 n: line spacing
          case 0x4a: // ESC J n: feed n dots
          case 0x52: // ESC R n: international character set
          case 0x56: // ESC V n: rotation
          case 0x7b: // ESC { n: upside down
          case 0x20: // ESC SP n: character spacing
          case 0x63: // ESC c 3/4/5 n: paper sensors, panel buttons
            if (c === 0x63) take(1);
            take(1);
            break;
          case 0x32: // ESC 2: default line spacing
            break;
          case 0x70: // ESC p m t1 t2: drawer pulse
            take(3);
            break;
          case 0x2a: {
            // ESC * m nL nH d...: bit image
            const [m, nL, nH] = take(3);
            take(((nH! << 8) | nL!) * (m! >= 32 ? 3 : 1));
            items.push({ kind: 'image' });
            break;
          }
          default:
            unknown.push({ offset: start, bytes: [b, c!] });
        }
      } else if (b === GS) {
        const [c] = take(1);
        switch (c) {
          case 0x21: {
            // GS ! n: character size, width in the high nibble, height in the low
            const n = take(1)[0]!;
            size = Math.max((n >> 4) + 1, (n & 0x0f) + 1);
            break;
          }
          case 0x42: // GS B n: reverse
          case 0x68: // GS h n: barcode height
          case 0x77: // GS w n: barcode module width
          case 0x48: // GS H n: barcode text position
          case 0x66: // GS f n: barcode text font
          case 0x61: // GS a n: automatic status back
          case 0x62: // GS b n: smoothing
          case 0x4c: // GS L nL nH: left margin (2)
          case 0x57: // GS W nL nH: print area width (2)
            take(c === 0x4c || c === 0x57 ? 2 : 1);
            break;
          case 0x6b: {
            // GS k m ...: barcode; m < 32 ends with NUL, otherwise a length byte comes first
            const m = take(1)[0]!;
            let data: number[];
            if (m < 32) {
              data = [];
              for (;;) {
                const [d] = take(1);
                if (d === 0) break;
                data.push(d!);
              }
            } else data = take(take(1)[0]!);
            const symbology = SYMBOLOGIES[m < 32 ? m + 65 : m] ?? `barcode-${m}`;
            const text = symbology === 'code128' ? code128Text(data) : String.fromCharCode(...data);
            if (lineStarted) endLine();
            items.push({ kind: 'barcode', symbology, data: text });
            break;
          }
          case 0x28: {
            // GS ( x pL pH ...: 2D codes and settings; QR data is stored with cn 49, fn 80 and printed with fn 81
            const [fn, pL, pH] = take(3);
            const body = take((pH! << 8) | pL!);
            if (fn === 0x6b && body[0] === 49 && body[1] === 80)
              qrData = new TextDecoder().decode(Uint8Array.from(body.slice(3)));
            if (fn === 0x6b && body[0] === 49 && body[1] === 81) {
              if (lineStarted) endLine();
              items.push({ kind: 'qrcode', data: qrData });
            }
            break;
          }
          case 0x76: {
            // GS v 0 m xL xH yL yH d...: raster image
            const [, , xL, xH, yL, yH] = take(6);
            take(((xH! << 8) | xL!) * ((yH! << 8) | yL!));
            items.push({ kind: 'image' });
            break;
          }
          case 0x56: {
            // GS V m [n]: cut; m 65/66 (and 97/98, 103/104) carry a feed amount
            const m = take(1)[0]!;
            if (m >= 65) take(1);
            if (lineStarted) endLine();
            items.push({ kind: 'cut', partial: m % 2 === 1 || m === 66 || m === 98 });
            break;
          }
          default:
            unknown.push({ offset: start, bytes: [b, c!] });
        }
      } else if (b === FS) {
        const [c] = take(1);
        // FS . / FS &: Kanji mode off/on; FS C n: Kanji code system
        if (c === 0x43) take(1);
        else if (c !== 0x2e && c !== 0x26) unknown.push({ offset: start, bytes: [b, c!] });
      } else if (b === DLE) {
        // DLE EOT n / DLE ENQ n: real-time requests, answered by the printer, nothing printed
        take(2);
      } else if (b >= 0x20) {
        const chars = table(codeTable);
        line += chars ? chars[b]! : '\uFFFD';
        lineStarted = true;
      }
    }
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
    return { items, unknown, truncated: true };
  }
  return { items, unknown, truncated: lineStarted };
}

/**
 * The paper as plain lines: text as printed (right- and centre-aligned lines as the encoder padded them,
 * trimmed), a barcode as `[CODE128 <data>]`, a QR code as `[QR <data>]`, a cut as `--- cut ---`.
 */
export function paperLines(paper: DecodedPaper): string[] {
  return paper.items.map((item) => {
    switch (item.kind) {
      case 'text':
        return item.text.trim();
      case 'barcode':
        return `[${item.symbology.toUpperCase()} ${item.data}]`;
      case 'qrcode':
        return `[QR ${item.data}]`;
      case 'image':
        return '[image]';
      default:
        return '--- cut ---';
    }
  });
}
