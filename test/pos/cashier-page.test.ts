// The cashier page as a cashier meets it, in Debian's Chromium: every state readable and free of WCAG 2.2
// A/AA violations (axe-core) at 1920×1080 and 1280×800 in both languages, a keyboard-wedge scanner's
// text landing in the scan field, and the whole sale done from the keyboard. The page and its server
// are the real ones; the sale behind them is a model the test shows (test/pos/register-fixtures.ts).

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { RegisterModel } from '../../pos/sale/register-model.js';
import { PosServer } from '../../pos/server/pos-server.js';
import { buildPos } from '../../ui/build.mjs';
import { axeViolations, injectAxe } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { everyState, registerModel, ShownRegister } from './register-fixtures.js';

const SIZES = { '1920x1080': { width: 1920, height: 1080 }, '1280x800': { width: 1280, height: 800 } };
const SHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'pos');

let browser: Browser;
let page: Page;
let server: PosServer;
let register: ShownRegister;
let pageDir: string;

beforeAll(async () => {
  pageDir = await mkdtemp(join(tmpdir(), 'pos-page-'));
  register = new ShownRegister();
  server = new PosServer({ register, pageDir, port: 0, logger: silentLogger });
  [browser] = await Promise.all([launchChromium(), buildPos({ outDir: pageDir }), server.start()]);
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

beforeEach(async () => {
  register.actions.splice(0);
  register.show(registerModel());
  page = await browser.newPage();
  page.setDefaultTimeout(5_000);
});

async function open(size: { width: number; height: number }, language: 'nb' | 'en' = 'nb'): Promise<void> {
  await page.setViewportSize(size);
  await page.goto(server.url);
  await page.evaluate((lang) => localStorage.setItem('vipps-kiosk-pos-language', lang), language);
  await page.reload();
  await page.getByTestId('scan-input').waitFor();
}

/** Shows `model` and waits until the page and its parts have drawn it. */
async function show(model: RegisterModel): Promise<void> {
  register.show(model);
  await page.waitForFunction(async (expected) => {
    const app = document.querySelector('cashier-app') as
      | (HTMLElement & { model: unknown; updateComplete: Promise<boolean> })
      | null;
    if (app === null || JSON.stringify(app.model) !== expected) return false;
    await app.updateComplete;
    // The basket table is an element of its own, drawn after the page: wait for it (and any other) too.
    const root = app.shadowRoot ?? app;
    const parts = [...root.querySelectorAll('*')] as Array<Element & { updateComplete?: Promise<boolean> }>;
    await Promise.all(parts.map((part) => part.updateComplete));
    return true;
  }, JSON.stringify(model));
}

/** A part's text, read through expect.poll: a nested element may draw a frame after its parent. */
const text = async (testId: string) =>
  (await page.getByTestId(testId).textContent())!.replace(/\s+/g, ' ').trim();

describe('the cashier page', () => {
  for (const [sizeName, size] of Object.entries(SIZES)) {
    for (const language of ['nb', 'en'] as const) {
      it(`has no WCAG 2.2 AA violation in any state at ${sizeName} in ${language}`, {
        timeout: 120_000,
      }, async () => {
        await open(size, language);
        await injectAxe(page);
        const found: string[] = [];
        for (const [name, model] of everyState()) {
          await show(model);
          for (const v of await axeViolations(page)) found.push(`${name}: ${v}`);
          // Nothing drawn outside the window: every state is readable without scrolling sideways.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          if (overflow > 0) found.push(`${name}: ${overflow} px wider than the window`);
        }
        expect(found).toEqual([]);
        if (language === 'nb') {
          await show(everyState().find(([name]) => name === 'club member')![1]);
          await page.screenshot({ path: join(SHOTS, `member-basket-${sizeName}.png`) });
          await show(everyState().find(([name]) => name === 'payment awaiting-approval')![1]);
          await page.screenshot({ path: join(SHOTS, `awaiting-approval-${sizeName}.png`) });
        }
      });
    }
  }

  it('shows the basket with name, quantity, price, VAT and total, at member prices for a member', async () => {
    await open(SIZES['1280x800']);
    await show(registerModel());
    await expect.poll(() => text('line-2000000000015')).toBe('Melk 1 l 24,90 kr 15 % 49,80 kr ×');
    await expect.poll(() => page.getByTestId('line-2000000000015-quantity').inputValue()).toBe('2');
    await expect.poll(() => text('basket-total')).toBe('119,70 kr');
    await show(
      registerModel({
        club: { state: 'member', phoneNumber: '+4791234567' },
        customer: { kind: 'phone', phoneNumber: '+4791234567' },
      }),
    );
    await expect.poll(() => text('line-2000000000039')).toContain('medlemspris −10,00 kr');
    await expect.poll(() => text('basket-total')).toBe('109,70 kr');
    await expect.poll(() => text('club-status')).toBe('+4791234567 er medlem. Medlemspriser gjelder.');
  });

  it("takes a keyboard-wedge scanner's text and Enter in the scan field, which keeps the focus", async () => {
    await open(SIZES['1280x800']);
    // A wedge scanner types into whatever has the focus: the page gives it to the scan field.
    await page.keyboard.type('2000000000015');
    await page.keyboard.press('Enter');
    await page.keyboard.type('https://qr.vipps.no/p/abc');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => register.actions)
      .toEqual([
        { type: 'scan', text: '2000000000015' },
        { type: 'scan', text: 'https://qr.vipps.no/p/abc' },
      ]);
    expect(await page.getByTestId('scan-input').inputValue()).toBe('');
  });

  it('does the whole sale from the keyboard: phone number, membership, send, abort, next sale', async () => {
    await open(SIZES['1280x800']);
    const phone = { kind: 'phone' as const, phoneNumber: '+4791234567' };
    await page.getByTestId('phone-input').focus();
    await page.keyboard.type('912 34 567');
    await page.keyboard.press('Enter');
    await expect.poll(() => register.actions.at(-1)).toEqual({ type: 'phone', phoneNumber: '912 34 567' });
    await show(registerModel({ customer: phone }));
    await page.getByTestId('request-membership').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => register.actions.at(-1)).toEqual({ type: 'request-membership' });
    await page.getByTestId('send-payment').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => register.actions.at(-1)).toEqual({ type: 'send' });
    const running = {
      id: '01KC2',
      status: 'awaiting-approval' as const,
      amount: 11970,
      final: false,
      aborting: false,
    };
    await show(registerModel({ customer: phone, locked: true, payment: running }));
    await expect.poll(() => page.getByTestId('send-payment').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('next-sale').isDisabled()).toBe(true);
    await page.getByTestId('abort-payment').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => register.actions.at(-1)).toEqual({ type: 'abort' });
    await show(registerModel({ customer: phone, payment: { ...running, status: 'aborted', final: true } }));
    await expect.poll(() => text('payment-status')).toBe('Betalingen er avbrutt. Ingenting er trukket.');
    await page.getByTestId('next-sale').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => register.actions.at(-1)).toEqual({ type: 'next-sale' });
  });
});

describe("the cashier page's server", () => {
  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${server.url}/api/actions`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('takes an action from its own page and refuses what a foreign page or a bad body sends', async () => {
    expect((await post({ type: 'send' })).status).toBe(204);
    expect(register.actions).toEqual([{ type: 'send' }]);
    expect((await post({ type: 'send' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (await post({ type: 'send' }, { 'content-type': 'application/json', origin: 'http://evil.example' }))
        .status,
    ).toBe(403);
    expect((await post({ type: 'pay-twice' })).status).toBe(400);
    expect((await post({ type: 'scan', text: 'x'.repeat(600) })).status).toBe(400);
    expect(register.actions).toEqual([{ type: 'send' }]);
  });

  it('answers only as 127.0.0.1 or localhost, so a rebound DNS name reaches nothing', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const port = new URL(server.url).port;
      request(
        { host: '127.0.0.1', port, path: '/api/state', headers: { host: `attacker.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
    expect((await fetch(`${server.url}/api/state`)).status).toBe(200);
  });
});
