// What a kiosk (or anyone who can publish as one) sends is printed on HQ's terminal by `hq watch`.
// A terminal obeys what it prints: an escape sequence can retitle the window, clear the screen, move
// the cursor to overwrite other kiosks' rows, or (OSC 52) write the clipboard; a bidi override makes
// text read backwards. So every kiosk-supplied string is made inert before it is printed.

// Whole sequences, so no parameter text is left behind: CSI (`ESC [ … final`), OSC, DCS, SOS, PM and
// APC strings (up to BEL or ST), and two-character escapes.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
// C0, DEL, C1 (8-bit CSI and OSC among them) and the bidi controls (LRM, RLM, ALM, embeddings,
// overrides, isolates).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without escape sequences or control characters: safe to print on a terminal. */
export function printable(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * Rows under their headers, columns padded to one width (those named in `right` right-aligned, as
 * counts read better), every cell made printable; one line each, no trailing spaces.
 */
export function alignedTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: ReadonlySet<string>,
): string {
  const table = [[...headers], ...rows.map((row) => row.map(printable))];
  const widths = headers.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  return table
    .map((line) =>
      line
        .map((cell, column) =>
          right.has(headers[column]!) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
