import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { KIOSK_LARGE, MILK, Walkthrough } from '../e2e/walkthrough.js';
import { launchChromium } from '../support/chromium.js';

// The demo panel's paper strip in Chromium, on the whole daemon: the receipt a sale printed appears as
// the simulated printer decoded it, and the panel's buttons run the printer out of paper (the kiosk goes
// out of order) and put it right (the kiosk sells again).

let browser: Browser;
let walk: Walkthrough | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  const errors = walk?.errors.splice(0) ?? [];
  await walk?.stop();
  expect(errors, 'errors in the kiosk page').toEqual([]);
});

it('shows the printed receipt on the paper strip, and its buttons take the kiosk out of order and back', async () => {
  walk = new Walkthrough(browser, 'paper-strip');
  await walk.start(KIOSK_LARGE, { cashRegister: {} });
  const { kiosk, screen } = walk;
  await walk.tap('demo-toggle');
  await screen.getByTestId('demo-paper').waitFor();
  await expect
    .poll(() => screen.getByTestId('demo-printer-condition').getAttribute('data-condition'))
    .toBe('ready');

  await kiosk.scan(MILK);
  await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
  const { payment } = await kiosk.screen('awaiting-approval');
  await kiosk.control.act(payment!.reference, 'approve');
  kiosk.clock.increment(5_000);
  const approved = await kiosk.screen('approved');
  const barcode = screen.getByTestId('demo-paper-barcode');
  await barcode.waitFor();
  expect(await barcode.getAttribute('data-value')).toBe(approved.receipt!.receiptNumber);
  await expect.poll(() => screen.getByTestId('demo-paper').textContent()).toContain('Salgskvittering');
  expect(await screen.getByTestId('demo-paper-cut').count()).toBe(1);
  await walk.shot('paper-strip');

  kiosk.kiosk.checkout.dispatch({ type: 'done' });
  await walk.onScreen('attract');
  await walk.tap('demo-printer-paper-out');
  await walk.onScreen('out-of-order');
  await expect
    .poll(() => screen.getByTestId('demo-printer-condition').getAttribute('data-condition'))
    .toBe('paper-out');
  await walk.tap('demo-printer-ready');
  await walk.onScreen('attract');
});
