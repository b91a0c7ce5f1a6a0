// Speech mode's focus: what the tactile keys move through on the page. The order is the screen's own
// (document order, through every shadow root), so it matches what a sighted customer sees top to bottom.

/** Skipped: the developer overlay is not part of the kiosk a customer uses. */
const SKIPPED = new Set(['DEMO-PANEL']);

/** The buttons that go back on a screen, in the order tried: the screen's own back, then its way out. */
const BACK = ['back', 'cancel', 'start-over', 'done'];

/** Buttons that can be pressed and elements that carry a spoken text (`data-speech`), in screen order. */
export function focusable(root: ShadowRoot | Element): HTMLElement[] {
  const found: HTMLElement[] = [];
  const walk = (node: ShadowRoot | Element) => {
    for (const child of Array.from(node.children)) {
      if (SKIPPED.has(child.tagName) || child.hasAttribute('inert')) continue;
      if (child instanceof HTMLElement && isFocusable(child)) found.push(child);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function isFocusable(element: HTMLElement): boolean {
  const candidate =
    (element instanceof HTMLButtonElement && !element.disabled) || element.dataset.speech !== undefined;
  return candidate && element.checkVisibility();
}

/** What the focus says on reaching `element`: a line's own text, or a button's name. */
export function spokenName(element: HTMLElement, button: (label: string) => string): string {
  if (element.dataset.speech !== undefined) return element.dataset.speech;
  const label = element.getAttribute('aria-label') ?? element.textContent ?? '';
  return button(label.replace(/\s+/g, ' ').trim());
}

/** The screen's way back among `elements`, if it has one. */
export function backButton(elements: readonly HTMLElement[]): HTMLElement | undefined {
  for (const id of BACK) {
    const found = elements.find((element) => element.dataset.testid === id);
    if (found) return found;
  }
  return undefined;
}

/** The digits typed on the phone keypad the element belongs to, or null when it is not on one. */
export async function keypadDigits(element: HTMLElement): Promise<string | null> {
  const host = (element.getRootNode() as ShadowRoot).host as
    | (HTMLElement & { updateComplete?: Promise<unknown> })
    | undefined;
  if (host?.tagName !== 'PHONE-KEYPAD') return null;
  await host.updateComplete;
  const display = host.shadowRoot?.querySelector<HTMLElement>('[data-testid="keypad-display"]');
  return display?.classList.contains('placeholder') ? '' : (display?.textContent ?? '').replace(/\D/g, '');
}
