/**
 * Runs in the page (pass it to Playwright's `evaluate`): all text under `root`, through open shadow
 * roots, style sheets left out. Whitespace is left as it is; callers fold it.
 */
export function deepText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (node instanceof Element) {
      if (node.localName === 'style') return;
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return parts.join(' ');
}
