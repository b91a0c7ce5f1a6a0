import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenPageUrl } from '../../contracts/screen-auth.js';
import type { ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import type { SandboxCustomer } from '../../sandbox/index.js';
import { deepText } from '../support/deep-text.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import type { SandboxPayment } from '../support/sandbox-control.js';

// One customer's walk through the whole kiosk, as a person does it: the kiosk screen in one Chromium page
// (its demo overlay standing in for the scanner), the sandbox's phone page in another, and the daemon's
// timers on a simulated clock the test moves. Helpers only wait on what a person would see, or on the
// daemon's and the sandbox's own reports; there is no sleeping for seconds anywhere.

export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'e2e');

export const KIOSK_LARGE = { width: 1280, height: 800 };
export const KIOSK_SMALL = { width: 800, height: 480 };
export const PHONE = { width: 390, height: 844 };

/** The demo catalog's first three products (device/catalog/demo-catalog.json). */
export const MILK = '2000000000015';
export const BREAD = '2000000000022';
export const COFFEE = '2000000000039';
/** Demo products with a member price: coffee 69,90 (members 59,90), salmon 119,90 (members 99,90). */
export const SALMON = '2000000000114';

const WAIT_MS = 5_000;

/** Text as a person reads it: whitespace, including the no-break spaces Intl puts in money, folded. */
export function fold(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

type Expected = string | RegExp | ((text: string) => boolean);

function matches(text: string, expected: Expected): boolean {
  if (typeof expected === 'string') return text === expected;
  if (expected instanceof RegExp) return expected.test(text);
  return expected(text);
}

/** Polls `read` until its answer matches, then returns it; fails naming what it last saw. */
export async function until(what: string, read: () => Promise<string>, expected: Expected): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const seen = await read().catch((error: unknown) => `(${String(error).split('\n')[0]})`);
    if (matches(seen, expected)) return seen;
    if (Date.now() > deadline) throw new Error(`${what}: expected ${String(expected)}, saw "${seen}"`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export class Walkthrough {
  readonly kiosk = new KioskUnderTest();
  /** Page errors and console errors of both pages; a test ends by asserting there were none. */
  readonly errors: string[] = [];
  screen!: Page;
  phone!: Page;
  private contexts: BrowserContext[] = [];
  private step = 0;

  constructor(
    private readonly browser: Browser,
    private readonly name: string,
  ) {}

  /** The daemon and its sandbox, and the kiosk's screen open at the attract screen. */
  async start(viewport = KIOSK_LARGE, options: Parameters<KioskUnderTest['start']>[0] = {}): Promise<this> {
    await Promise.all([this.kiosk.start(options), this.clearShots()]);
    this.screen = await this.page(viewport, 'kiosk');
    await this.screen.goto(screenPageUrl(this.kiosk.url, this.kiosk.screenToken));
    await this.onScreen('attract');
    return this;
  }

  /** The customer's phone, signed in as `customer`. */
  async openPhone(customer: SandboxCustomer): Promise<Page> {
    this.phone = await this.page(PHONE, 'phone');
    await this.phone.goto(`${this.kiosk.sandbox.url}/phone`);
    await this.phone.getByTestId('customer-select').selectOption(customer.msisdn);
    // The page's first look at the sandbox for this customer has been drawn.
    await this.phone.locator('#pending[aria-busy="false"]').waitFor({ state: 'attached' });
    return this.phone;
  }

  async stop(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close()));
    await this.kiosk.stop();
  }

  protected async page(viewport: { width: number; height: number }, label: string): Promise<Page> {
    const context = await this.browser.newContext({ viewport, hasTouch: true });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => this.errors.push(`${label}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`${label} console: ${message.text()}`);
    });
    return page;
  }

  /** This test's screenshots from an earlier run, so none of them outlives a renamed step. */
  private async clearShots(): Promise<void> {
    await mkdir(ARTIFACTS, { recursive: true });
    const mine = new RegExp(`^${this.name}-\\d\\d-.*\\.png$`);
    const old = (await readdir(ARTIFACTS)).filter((file) => mine.test(file));
    await Promise.all(old.map((file) => rm(join(ARTIFACTS, file), { force: true })));
  }

  /** test-artifacts/e2e/<test>-<nn>-<step>.png, numbered so the files list in the order they were taken. */
  async shot(step: string, page: Page = this.screen): Promise<void> {
    this.step += 1;
    const file = `${this.name}-${String(this.step).padStart(2, '0')}-${step}.png`;
    await page.screenshot({ path: join(ARTIFACTS, file), animations: 'disabled' });
  }

  // ---- the kiosk screen

  /** Waits until the screen shows `name`, and returns everything it says, folded. */
  async onScreen(name: ScreenName): Promise<string> {
    const root = this.screen.getByTestId(`screen-${name}`);
    await root.waitFor({ state: 'visible' });
    return fold(await root.evaluate(deepText));
  }

  /** Waits until the screen `name` says every one of `texts`; returns all it says. */
  screenSays(name: ScreenName, texts: string[]): Promise<string> {
    return until(
      `screen-${name} saying ${JSON.stringify(texts)}`,
      () => this.onScreen(name),
      (text) => texts.every((part) => text.includes(part)),
    );
  }

  /** Waits until the element `testId` (on the kiosk screen unless `page` says) reads `expected`, folded. */
  textOf(testId: string, expected: Expected, page: Page = this.screen): Promise<string> {
    return until(testId, async () => fold(await page.getByTestId(testId).evaluate(deepText)), expected);
  }

  attribute(testId: string, name: string, expected: Expected): Promise<string> {
    return until(
      `${testId}[${name}]`,
      async () => (await this.screen.getByTestId(testId).getAttribute(name)) ?? '(none)',
      expected,
    );
  }

  /** The status LED drawn in the demo overlay. */
  async led(colour: string, blink: boolean): Promise<void> {
    await this.attribute('demo-led', 'data-colour', colour);
    await this.attribute('demo-led', 'data-blink', String(blink));
  }

  tap(testId: string): Promise<void> {
    return this.screen.getByTestId(testId).tap();
  }

  /**
   * Scans `text` by typing it into the demo overlay's scan field and pressing Enter. A folded overlay is
   * opened for the scan and folded again after it, as a developer does on a small screen.
   */
  async scan(text: string): Promise<void> {
    const input = this.screen.getByTestId('demo-scan-input');
    const folded = !(await input.isVisible());
    if (folded) await this.tap('demo-toggle');
    await input.fill(text);
    await input.press('Enter');
    await until('demo scan field after Enter', () => input.inputValue(), '');
    if (folded) await this.foldDemo();
  }

  /** Folds the demo overlay, as a developer does before tapping what it covers. */
  async foldDemo(): Promise<void> {
    if (await this.screen.getByTestId('demo-panel').isVisible()) await this.tap('demo-toggle');
    await this.screen.getByTestId('demo-panel').waitFor({ state: 'detached' });
  }

  /** One basket line as the customer sees it: name, unit price, quantity and line total. */
  async line(gtin: string, expected: Expected): Promise<string> {
    return this.textOf(`line-${gtin}`, expected);
  }

  // ---- the daemon and the sandbox

  state(): Promise<ScreenModel> {
    return this.kiosk.state();
  }

  /** The reference of the payment the kiosk is waiting on, read from GET /api/state. */
  async reference(): Promise<string> {
    const model = await this.kiosk.screen('awaiting-approval');
    if (!model.payment) throw new Error('awaiting approval without a payment');
    return model.payment.reference;
  }

  /** Waits until the sandbox reports the payment in `state`. */
  async sandboxState(reference: string, state: SandboxPayment['state']): Promise<SandboxPayment> {
    await until(
      `sandbox state of ${reference}`,
      async () => (await this.kiosk.control.payment(reference)).state,
      state,
    );
    return this.kiosk.control.payment(reference);
  }

  /** Time passes for the kiosk and for Vipps alike (the sandbox holds Vipps Login to its poll interval). */
  tick(ms: number): void {
    this.kiosk.sandbox.clock.advance(ms);
    this.kiosk.clock.increment(ms);
  }

  // ---- the phone page

  /** Waits for the request on the phone and returns what its card says. */
  async phoneRequest(reference: string): Promise<string> {
    const card = this.phone.getByTestId(`payment-${reference}`);
    await card.waitFor({ state: 'visible' });
    return fold(await card.evaluate(deepText));
  }

  /** The customer taps Approve or Reject, and the phone page then lists the payment as `state`. */
  async decideOnPhone(reference: string, action: 'approve' | 'reject', state: string): Promise<void> {
    await this.phone.getByTestId(`${action}-${reference}`).tap();
    await this.textOf(`status-${reference}`, state, this.phone);
  }
}
