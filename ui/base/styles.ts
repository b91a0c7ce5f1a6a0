import { css } from 'lit';

/** In every component: type, box model, and the reduced-motion switch. */
export const base = css`
  :host {
    box-sizing: border-box;
    font-family: var(--font);
    font-size: var(--text);
    line-height: 1.35;
    color: var(--ink);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h1,
  h2,
  p,
  ul,
  ol,
  dl,
  dd {
    margin: 0;
    padding: 0;
  }
  .sr-only {
    position: absolute;
    top: 0;
    left: 0;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon {
    width: 1.2em;
    height: 1.2em;
    flex: none;
  }
  .num {
    font-variant-numeric: tabular-nums;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
    }
  }
`;

/**
 * One button family. Nothing depends on hover (there is none on a touch screen): pressed state and a
 * thick focus ring are the feedback.
 */
export const buttons = css`
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    min-width: var(--tap);
    min-height: var(--tap);
    padding: 0 1.1em;
    border: 2px solid transparent;
    border-radius: var(--radius);
    font: inherit;
    font-weight: 650;
    line-height: 1.15;
    text-align: center;
    cursor: pointer;
    touch-action: manipulation;
    user-select: none;
    -webkit-tap-highlight-color: transparent;
    transition: transform 80ms ease-out, filter 80ms ease-out;
  }
  .btn:focus-visible {
    outline: 4px solid var(--ink);
    outline-offset: 3px;
  }
  .btn:active:not(:disabled) {
    transform: scale(0.97);
    filter: brightness(0.93);
  }
  /* Large bold label: white on the Vipps orange only meets AA as large text. */
  .primary {
    min-height: var(--tap-primary);
    padding: 0 1.6em;
    background: var(--accent);
    color: var(--on-accent);
    font-size: var(--text-large);
    font-weight: 700;
    box-shadow: 0 2px 0 rgb(28 25 23 / 12%);
  }
  .secondary {
    background: var(--surface);
    color: var(--ink);
    border-color: var(--control);
  }
  .quiet {
    background: transparent;
    color: var(--ink);
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  /* A secondary action that stands alone or beside a primary one: as easy to hit, less loud. */
  .large {
    min-height: var(--tap-primary);
    padding: 0 1.6em;
    font-size: var(--text-large);
  }
  .btn:disabled {
    background: var(--disabled);
    color: var(--on-disabled);
    border-color: transparent;
    box-shadow: none;
    cursor: default;
  }
  .round {
    padding: 0;
    border-radius: 50%;
  }
`;

/** The shell every screen draws in: padding, the type scale, cards, the two-column split. */
export const screen = css`
  :host {
    display: block;
    height: 100%;
    min-height: 0;
  }
  /* The large-text theme (theme.ts) lets a screen grow past the window and the page scroll instead. */
  .screen {
    height: var(--screen-height, 100%);
    min-height: var(--screen-min-height, 0);
    padding: var(--gap);
    display: grid;
    gap: var(--gap);
    animation: enter 220ms ease-out;
  }
  .center {
    place-content: center;
    justify-items: center;
    text-align: center;
    gap: var(--space);
  }
  .split {
    grid-template-columns: var(--split-columns, minmax(0, 1.45fr) minmax(0, 1fr));
    grid-template-rows: minmax(0, 1fr);
  }
  .stack {
    display: flex;
    flex-direction: column;
    gap: var(--space);
    min-height: 0;
  }
  .title {
    font-size: var(--title);
    line-height: 1.1;
    font-weight: 750;
    letter-spacing: -0.015em;
    text-wrap: balance;
  }
  .lead {
    font-size: var(--text);
    color: var(--ink-muted);
    max-width: 40ch;
    text-wrap: pretty;
  }
  .label {
    font-size: var(--text-small);
    color: var(--ink-muted);
  }
  .amount {
    font-size: var(--display);
    line-height: 1.05;
    font-weight: 750;
    letter-spacing: -0.02em;
    font-variant-numeric: tabular-nums;
  }
  .card {
    background: var(--surface);
    border-radius: calc(var(--radius) * 1.4);
    box-shadow: 0 1px 2px rgb(28 25 23 / 6%), 0 10px 30px rgb(28 25 23 / 7%);
  }
  .badge {
    display: grid;
    place-items: center;
    width: clamp(64px, 15vmin, 168px);
    aspect-ratio: 1;
    border-radius: 50%;
    background: var(--accent-soft);
    color: var(--accent-ink);
  }
  .badge .icon {
    width: 50%;
    height: 50%;
  }
  .badge.good {
    background: var(--success-soft);
    color: var(--success);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--space);
    justify-content: center;
    margin-top: var(--space);
  }
  .club-note {
    font-size: var(--text-small);
    font-weight: 650;
    color: var(--accent-ink);
  }
  .saved {
    font-weight: 750;
    color: var(--success);
  }
  .spinner {
    width: clamp(56px, 13vmin, 140px);
    aspect-ratio: 1;
    border-radius: 50%;
    border: clamp(5px, 1.1vmin, 12px) solid var(--accent-soft);
    border-top-color: var(--accent);
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @keyframes enter {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
`;

/** A pad of digit keys, three to a row, each a full key high: the phone keypad and staff's PIN pad. */
export const digitKeys = css`
  .keys {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    grid-auto-rows: var(--key);
    gap: calc(var(--space) * 0.7);
  }
  .keys .btn {
    min-height: 0;
    height: 100%;
    padding: 0;
  }
  .digit {
    font-size: var(--text-large);
    font-weight: 650;
  }
`;
