// WCAG 2.2 A/AA on every kiosk screen, measured by axe-core in Debian's Chromium: every screen at the
// three display sizes in Bokmål, in the standard and the large-text, high-contrast theme, and every
// language (six, each in its market's currency) at the smallest. Zero violations is the bar.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LANGUAGES,
  type Language,
  type MarketCountry,
  SCREEN_NAMES,
  type ScreenModel,
  type StaffPage,
  THEMES,
} from '../../contracts/screen-model.js';
import { buildUi } from '../../ui/build.mjs';
import { launchChromium } from '../support/chromium.js';
import { fixture, salesFixture } from './fixtures.js';
import { KioskServer } from './kiosk-server.js';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SIZES = {
  '800x480': { width: 800, height: 480 },
  '720x1280': { width: 720, height: 1280 },
  '1920x1080': { width: 1920, height: 1080 },
};

/** Each language walked in the market it is most at home in: Danish in DKK, Finnish in EUR. */
const MARKET_OF: Readonly<Record<Language, MarketCountry>> = {
  nb: 'NO',
  nn: 'NO',
  en: 'NO',
  da: 'DK',
  sv: 'FI',
  fi: 'FI',
};

let browser: Browser;
let page: Page;
let server: KioskServer;
let serverUrl: Promise<string>;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'kiosk-axe-'));
  server = new KioskServer(outDir, fixture('attract'));
  serverUrl = server.start();
  [browser] = await Promise.all([launchChromium(), buildUi({ outDir })]);
  page = await browser.newPage({ hasTouch: true });
  page.setDefaultTimeout(5_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function open(size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.goto('about:blank');
  await page.goto(await serverUrl);
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not govern (a
  // script tag would be refused, rightly): the page under test stays exactly as the kiosk serves it.
  await page.evaluate(await AXE_SOURCE);
}

/** Shows `model`, waits for its screen and the end of its entrance, and lists what axe finds. */
async function violations(
  model: ScreenModel,
  ready = `[data-testid="screen-${model.screen}"]`,
): Promise<string[]> {
  server.show(model);
  await page.locator(ready).first().waitFor();
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
  }, WCAG_22_AA);
}

describe('WCAG 2.2 AA, measured by axe-core', () => {
  for (const [sizeName, size] of Object.entries(SIZES)) {
    it(`finds nothing on any screen at ${sizeName} in Bokmål, with and without the demo panel, and in high contrast`, {
      timeout: 120_000,
    }, async () => {
      await open(size);
      const found: string[] = [];
      for (const screen of SCREEN_NAMES) {
        for (const demo of [false, true]) {
          for (const v of await violations(fixture(screen, { demo })))
            found.push(`${screen}${demo ? '+demo' : ''} ${v}`);
        }
        for (const v of await violations(fixture(screen, { theme: 'high-contrast' })))
          found.push(`${screen} high-contrast ${v}`);
      }
      // The language list, open over the basket, in either theme.
      for (const theme of THEMES) {
        await violations(fixture('basket', { theme }));
        await page.getByTestId('language').tap();
        for (const v of await violations(fixture('basket', { theme }), '[data-testid="language-fi"]'))
          found.push(`language list ${theme} ${v}`);
        await page.getByTestId('language').tap();
      }
      expect(found).toEqual([]);
    });
  }

  it('finds nothing on any screen in any language at 800x480', { timeout: 120_000 }, async () => {
    await open(SIZES['800x480']);
    const found: string[] = [];
    for (const language of LANGUAGES) {
      for (const screen of SCREEN_NAMES) {
        for (const v of await violations(fixture(screen, { language, market: MARKET_OF[language] })))
          found.push(`${language} ${screen} ${v}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('finds nothing on any page of staff mode, at every size', { timeout: 120_000 }, async () => {
    const receipt = { ...salesFixture(Date.now()), copy: true as const };
    const pages: StaffPage[] = [
      { name: 'pin', attemptsLeft: 3 },
      { name: 'menu' },
      { name: 'report', kind: 'z', text: 'Z-RAPPORT 1\nKvitteringer 2\nSalg 135,60' },
      { name: 'receipt', receipt },
      { name: 'return-find' },
      {
        name: 'return-pick',
        receiptNumber: receipt.receiptNumber,
        currency: 'NOK',
        refundable: receipt.total,
        lines: receipt.lines.map((line, index) => ({
          index,
          name: line.name,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          returnable: line.quantity,
        })),
      },
    ];
    const found: string[] = [];
    for (const [sizeName, size] of Object.entries(SIZES)) {
      await open(size);
      for (const page of pages) {
        const model = fixture('staff');
        const staff = {
          ...model.staff!,
          page,
          notice: page.name === 'pin' ? { code: 'wrong-pin', message: '' } : null,
        };
        // Each page waits for its own render: the staff screen stays, only its page changes.
        for (const v of await violations({ ...model, staff }, `[data-page="${page.name}"]`))
          found.push(`${sizeName} ${page.name} ${v}`);
      }
    }
    expect(found).toEqual([]);
  });
});
