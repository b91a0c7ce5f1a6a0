import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core in a page of Debian's Chromium, with WCAG 2.2 A/AA rules: the kiosk screens' check
// (test/ui/accessibility.test.ts) and the HQ page's (test/hq/hq-page.test.ts).

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Loads axe into the page, evaluated over the DevTools protocol, which the page's
 * Content-Security-Policy does not govern (a script tag would be refused, rightly): the page under
 * test stays exactly as it is served. Again after every navigation.
 */
export async function injectAxe(page: Page): Promise<void> {
  await page.evaluate(await AXE_SOURCE);
}

/** Waits for the page's finite animations (in every shadow root too), runs axe, lists what it finds. */
export function axeViolations(page: Page, tags: string[] = WCAG_22_AA): Promise<string[]> {
  return page.evaluate(async (tags) => {
    const roots: Array<Document | ShadowRoot> = [document];
    for (const root of roots)
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    await Promise.all(
      roots
        .flatMap((root) => root.getAnimations())
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    );
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ...args: unknown[]
          ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  }, tags);
}
