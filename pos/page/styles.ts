import { css } from 'lit';

// Colours checked for WCAG 2.2 AA contrast (axe-core in test/pos): ink on white and on the canvas at
// ≥ 7:1, the muted ink ≥ 4.5:1, the primary button's white on its dark orange ≥ 4.5:1 at any size.
export const cashierStyles = css`
  :host {
    --canvas: #f6f3f0;
    --surface: #ffffff;
    --ink: #1c1917;
    --muted: #57504b;
    --line: #d9d1ca;
    --control: #6f6862;
    --primary: #b93c0b;
    --on-primary: #ffffff;
    --success: #137333;
    --success-soft: #e7f4eb;
    --danger: #b42318;
    --danger-soft: #fdecea;
    --focus: #1a56db;
    display: block;
    min-height: 100vh;
    box-sizing: border-box;
    padding: clamp(12px, 2vmin, 28px);
    background: var(--canvas);
    color: var(--ink);
    font: clamp(16px, 0.9vw + 6px, 22px) / 1.4 system-ui, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif;
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2 {
    margin: 0 0 0.5em;
    line-height: 1.2;
  }
  h1 {
    font-size: 1.6em;
  }
  h2 {
    font-size: 1.2em;
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1em;
    margin-bottom: 0.75em;
  }
  main {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: clamp(12px, 2vmin, 28px);
    align-items: start;
  }
  section {
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 12px;
    padding: 0.9em 1.1em;
    margin-bottom: clamp(10px, 1.6vmin, 20px);
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25em;
  }
  .row {
    display: flex;
    gap: 0.5em;
    flex-wrap: wrap;
  }
  .row input {
    flex: 1 1 12em;
  }
  input {
    font: inherit;
    color: var(--ink);
    background: var(--surface);
    border: 2px solid var(--control);
    border-radius: 8px;
    padding: 0.4em 0.6em;
    min-height: 44px;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    padding: 0.4em 1em;
    border-radius: 8px;
    border: 2px solid var(--control);
    background: var(--surface);
    color: var(--ink);
    cursor: pointer;
  }
  button.primary {
    background: var(--primary);
    border-color: var(--primary);
    color: var(--on-primary);
  }
  button:disabled {
    background: #ece7e3;
    border-color: #ece7e3;
    color: #57504b;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  .hint,
  .muted {
    color: var(--muted);
  }
  .notice {
    min-height: 1.4em;
    margin: 0.5em 0 0;
  }
  .notice[data-tone='problem'] {
    color: var(--danger);
    font-weight: 600;
  }
  .status {
    font-size: 1.15em;
    font-weight: 600;
    padding: 0.5em 0.75em;
    border-radius: 8px;
    background: var(--canvas);
  }
  .status[data-status='none'] {
    background: none;
    padding: 0;
  }
  .status[data-tone='good'] {
    background: var(--success-soft);
    color: var(--success);
  }
  .status[data-tone='bad'] {
    background: var(--danger-soft);
    color: var(--danger);
  }
  .amount {
    font-size: 1.8em;
    font-weight: 700;
    margin: 0.25em 0;
  }
  .code strong {
    font-size: 1.6em;
    letter-spacing: 0.1em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-top: 0.75em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
