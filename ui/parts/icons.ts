import { type SVGTemplateResult, svg } from 'lit';

// Drawn here rather than loaded: the kiosk may run with no network, and the bundle is the only asset.
const PATHS = {
  scan: svg`<path d="M3 7V5a2 2 0 0 1 2-2h2M17 3h2a2 2 0 0 1 2 2v2M21 17v2a2 2 0 0 1-2 2h-2M7 21H5a2 2 0 0 1-2-2v-2"/><path d="M7 8v8M10.5 8v8M14 8v8M17 8v8"/>`,
  qr: svg`<rect x="3" y="3" width="7" height="7" rx="1.5"/><rect x="14" y="3" width="7" height="7" rx="1.5"/><rect x="3" y="14" width="7" height="7" rx="1.5"/><path d="M14 14h3v3h-3zM21 14v.01M14 21h.01M17.5 21H21v-3.5"/>`,
  phone: svg`<rect x="6" y="2" width="12" height="20" rx="2.5"/><path d="M11 18h2"/>`,
  check: svg`<path d="M20 6 9 17l-5-5"/>`,
  info: svg`<circle cx="12" cy="12" r="9"/><path d="M12 11v5M12 7.5v.01"/>`,
  minus: svg`<path d="M5 12h14"/>`,
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  trash: svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"/>`,
  backspace: svg`<path d="M21 5H9l-6 7 6 7h12a1 1 0 0 0 1-1V6a1 1 0 0 0-1-1z"/><path d="m17 9-6 6M11 9l6 6"/>`,
  cloudOff: svg`<path d="m3 3 18 18"/><path d="M7.5 8.2A5 5 0 0 0 7 18h10.5M11 6.1A5.5 5.5 0 0 1 17.9 10 4 4 0 0 1 20.6 16"/>`,
  star: svg`<path d="m12 3 2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z"/>`,
  clock: svg`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>`,
  chevron: svg`<path d="m6 9 6 6 6-6"/>`,
  globe: svg`<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>`,
  textSize: svg`<path d="M3 19 8.5 5 14 19M5 14.5h7M15 19l3.5-8 3.5 8M16 16.5h5"/>`,
  wrench: svg`<path d="M14.7 6.3a4 4 0 0 0 5 5L21 13a6 6 0 0 1-7.6 2.4l-5.6 5.7a2 2 0 0 1-2.9-2.9l5.7-5.6A6 6 0 0 1 13 5l1.7 1.3z"/>`,
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
