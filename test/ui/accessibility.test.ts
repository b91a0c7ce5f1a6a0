// WCAG 2.2 A/AA on every kiosk screen, measured by axe-core in Debian's Chromium: every screen at the
// three display sizes in Bokmål, in the standard and the large-text, high-contrast theme, and every
// language (six, each in its market's currency) at the smallest. Zero violations is the bar.

import { mkdtemp, rm } from 'node:fs/promises';
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
import { axeViolations, injectAxe } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { fixture, LINES, salesFixture } from './fixtures.js';
import { KioskServer } from './kiosk-server.js';

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
  await injectAxe(page);
}

/** Shows `model`, waits for its screen and the end of its entrance, and lists what axe finds. */
async function violations(
  model: ScreenModel,
  ready = `[data-testid="screen-${model.screen}"]`,
): Promise<string[]> {
  server.show(model);
  await page.locator(ready).first().waitFor();
  return axeViolations(page);
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
      // Awaiting approval with the one-time payment QR on screen: waited for by the code itself.
      for (const demo of [false, true]) {
        const qr = fixture('awaiting-approval', { demo, qr: true });
        for (const v of await violations(qr, '[data-testid="payment-qr"]'))
          found.push(`awaiting-approval+qr${demo ? '+demo' : ''} ${v}`);
      }
      // Attended mode: the POS's lines on the screens where its payment waits, in either theme.
      for (const theme of THEMES) {
        for (const screen of ['identify', 'awaiting-approval'] as const) {
          const attended = fixture(screen, { attended: true, theme });
          const line = `[data-testid="screen-${screen}"] [data-testid="line-${LINES[0]!.gtin}"]`;
          for (const v of await violations(attended, line)) found.push(`${screen} attended ${theme} ${v}`);
        }
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
