import { css, unsafeCSS } from 'lit';

/**
 * Every colour the screen uses. Components read them as CSS custom properties (`--ink`, `--accent-soft`,
 * …), which inherit through shadow roots, so the palette is declared once on the app's host.
 */
export const PALETTE = {
  canvas: '#faf6f2',
  surface: '#ffffff',
  ink: '#1c1917',
  inkMuted: '#57504b',
  line: '#e9e2dc',
  control: '#8a817b',
  accent: '#ff5b24',
  onAccent: '#ffffff',
  accentSoft: '#fff1ea',
  accentInk: '#b93c0b',
  success: '#137333',
  successSoft: '#e7f4eb',
  danger: '#b42318',
  dangerSoft: '#fdecea',
  disabled: '#ece7e3',
  onDisabled: '#6b635d',
} as const;

export type PaletteColour = keyof typeof PALETTE;

/**
 * The large-text, high-contrast theme's colours: black on white, the accent darkened until white on it
 * reads at 7:1 (WCAG AAA), every pair the components draw at least 7:1 (test/ui checks it).
 */
export const HIGH_CONTRAST: Readonly<Record<PaletteColour, string>> = {
  canvas: '#ffffff',
  surface: '#ffffff',
  ink: '#000000',
  inkMuted: '#1f1f1f',
  line: '#000000',
  control: '#000000',
  accent: '#8f2a08',
  onAccent: '#ffffff',
  accentSoft: '#fff8e1',
  accentInk: '#8f2a08',
  success: '#0a5c22',
  successSoft: '#eefaf0',
  danger: '#8b1010',
  dangerSoft: '#fff0f0',
  disabled: '#e6e6e6',
  onDisabled: '#333333',
};

export interface ContrastPair {
  fg: PaletteColour;
  bg: PaletteColour;
  /** WCAG 2.x AA: 4.5 for text, 3 for large text (≥ 24 px, or ≥ 18.66 px bold) and for UI parts. */
  min: 4.5 | 3;
  use: string;
}

/** The foreground/background pairs the components actually draw; test/ui checks each against `min`. */
export const CONTRAST_PAIRS: readonly ContrastPair[] = [
  { fg: 'ink', bg: 'canvas', min: 4.5, use: 'body text' },
  { fg: 'ink', bg: 'surface', min: 4.5, use: 'text on cards and buttons' },
  { fg: 'inkMuted', bg: 'canvas', min: 4.5, use: 'secondary text' },
  { fg: 'inkMuted', bg: 'surface', min: 4.5, use: 'secondary text on cards' },
  // Primary buttons only: their labels are bold and at least 20 px (checked in the browser test).
  { fg: 'onAccent', bg: 'accent', min: 3, use: 'primary button label (large bold text)' },
  { fg: 'accentInk', bg: 'accentSoft', min: 4.5, use: 'countdown and notices' },
  { fg: 'accentInk', bg: 'surface', min: 4.5, use: 'accent text on cards' },
  { fg: 'ink', bg: 'accentSoft', min: 4.5, use: 'text on soft accent' },
  { fg: 'success', bg: 'successSoft', min: 4.5, use: 'scan added: icon; paid: check mark' },
  { fg: 'danger', bg: 'dangerSoft', min: 4.5, use: 'scan problem: icon' },
  { fg: 'ink', bg: 'successSoft', min: 4.5, use: 'scan added: text' },
  { fg: 'ink', bg: 'dangerSoft', min: 4.5, use: 'scan problem: text' },
  { fg: 'ink', bg: 'disabled', min: 4.5, use: 'language toggle, country code' },
  { fg: 'surface', bg: 'ink', min: 4.5, use: 'step numbers on the attract screen' },
  { fg: 'control', bg: 'surface', min: 3, use: 'secondary button border' },
  { fg: 'control', bg: 'canvas', min: 3, use: 'secondary button border on the page' },
  { fg: 'onDisabled', bg: 'disabled', min: 4.5, use: 'disabled button label, kept readable' },
];

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const properties = (palette: Readonly<Record<PaletteColour, string>>) =>
  unsafeCSS(
    Object.entries(palette)
      .map(([name, value]) => `--${kebab(name)}: ${value};`)
      .join('\n'),
  );

export const paletteProperties = properties(PALETTE);

/** Sizes scale with the short side of the screen, so 800×480 and 1920×1080 get the same proportions. */
export const tokens = css`
  :host {
    ${paletteProperties}
    --font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans',
      Arial, sans-serif;
    --text: calc(var(--text-scale) * clamp(16px, 1.6vmin + 9px, 26px));
    --text-small: calc(var(--text-scale) * clamp(14px, 1.2vmin + 8px, 22px));
    --text-large: calc(var(--text-scale) * clamp(20px, 2.4vmin + 9px, 38px));
    /*
     * Headings and amounts are capped by the screen's width so the longest word still fits on a line:
     * "betalingsforespørsel" (20 letters) at 8vw, an amount or binding code at 10vw. Only the large-text
     * theme on an upright screen reaches the caps (there headings are about 1.45x, not 2x).
     */
    --title: min(var(--heading-scale) * clamp(26px, 4.4vmin + 8px, 64px), 8vw);
    --display: min(var(--heading-scale) * clamp(32px, 6vmin + 8px, 92px), 10vw);
    --text-scale: 1;
    --heading-scale: 1;
    --space: clamp(8px, 1.6vmin, 20px);
    --gap: clamp(12px, 3vmin, 40px);
    --radius: clamp(10px, 1.6vmin, 20px);
    --tap: clamp(48px, 6vmin, 72px);
    --tap-primary: clamp(60px, 9vmin + 16px, 104px);
    /* For scrolling lists on cards: shadows at an edge only while there is more to scroll to that way. */
    --scroll-surface: linear-gradient(var(--surface) 30%, rgb(255 255 255 / 0)) top / 100% 40px no-repeat local,
      linear-gradient(rgb(255 255 255 / 0), var(--surface) 70%) bottom / 100% 40px no-repeat local,
      linear-gradient(rgb(28 25 23 / 14%), transparent) top / 100% 12px no-repeat scroll,
      linear-gradient(transparent, rgb(28 25 23 / 14%)) bottom / 100% 12px no-repeat scroll,
      var(--surface);
  }
`;

/**
 * The large-text, high-contrast theme (the customer's toggle; speech mode turns it on): body text,
 * headings and amounts twice the standard size (issue 19: at least double; headings up to the width caps
 * in `tokens`), the high-contrast palette, and reflow: the screen scrolls as one page instead of clipping, and
 * below 1200 px wide the two-column screens stack, so nothing is lost at 800×480 or upright at 720×1280.
 */
export const highContrast = css`
  :host([theme='high-contrast']) {
    ${properties(HIGH_CONTRAST)}
    --text-scale: 2;
    --heading-scale: 2;
    --tap: clamp(56px, 7vmin, 88px);
    --screen-height: auto;
    --screen-min-height: 100%;
    --main-overflow: auto;
  }
  @media (max-width: 1199px) {
    :host([theme='high-contrast']) {
      --split-columns: minmax(0, 1fr);
    }
  }
`;
