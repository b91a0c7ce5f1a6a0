import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, injectAxe } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import {
  builtPage,
  type HqPageFixture,
  OPERATOR,
  sale,
  seedKiosk,
  startHqPage,
  zReport,
} from './hq-page-fixture.js';

// The HQ page in Debian's Chromium over a seeded fleet: signed in with the keyboard, it shows every
// kiosk, and each of its views passes axe-core's WCAG 2.2 A/AA rules at 1280×800 and 1920×1080.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

describeWithPostgres('the HQ page in Chromium', () => {
  let postgres: TestPostgres;
  let built: Awaited<ReturnType<typeof builtPage>>;
  let hq: HqPageFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [postgres, built, browser] = await Promise.all([TestPostgres.start(), builtPage(), launchChromium()]);
    // The browser's day is the server's: the sales view asks for "today" as the browser sees it.
    hq = await startHqPage(await postgres.createDatabase(), built.dir, {
      server: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    });
    // A few minutes back, but never into yesterday: the sales view asks for "today" in this time zone.
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    const now = Math.max(Date.now(), midnight.getTime() + 5 * 60_000);
    const pool = hq.database.pool;
    await seedKiosk(pool, 'oslo-1', 'kiosk-01', 'attract', [
      sale(new Date(now - 180_000), 129_00, '1'),
      sale(new Date(now - 60_000), 45_50, '2'),
      zReport(new Date(now - 30_000), 1, 174_50),
    ]);
    await seedKiosk(pool, 'oslo-1', 'kiosk-02', 'basket', [sale(new Date(now - 120_000), 20_00, '1')]);
    await seedKiosk(pool, 'bergen-2', 'kiosk-01', 'maintenance', []);
    await pool.query(
      `INSERT INTO alerts (site, device, code, source, severity, message, raised_at)
       VALUES ('bergen-2', 'kiosk-01', 'hq-offline', 'hq', 'critical', 'Offline for 12 minutes: check its power and network.', now())`,
    );
    await hq.live.refresh();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hq?.stop();
    await postgres?.dispose();
    await built?.remove();
  });

  it('signs in with the keyboard and shows the seeded fleet, live from the database', {
    timeout: 60_000,
  }, async () => {
    await page.setViewportSize(SIZES[0]!);
    await page.goto(hq.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    await injectAxe(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.type(OPERATOR.name); // the name field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.type(OPERATOR.password);
    await page.keyboard.press('Enter');
    await page.locator('hq-app[data-live="ready"]').waitFor();
    const rows = page.locator('[data-testid="fleet"] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kiosk')))).toEqual([
      'bergen-2/kiosk-01',
      'oslo-1/kiosk-01',
      'oslo-1/kiosk-02',
    ]);
    const oslo = page.locator('tr[data-kiosk="oslo-1/kiosk-01"]');
    await expect.poll(() => oslo.locator('[data-field="last-sale"]').textContent()).toContain('45,50');
    await expect
      .poll(() => page.locator('[data-testid="live"]').textContent())
      .toBe('Live from the database');
    expect(await page.getByText('Offline for 12 minutes').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('passes axe-core (WCAG 2.2 A/AA) on every view at 1280×800 and 1920×1080', {
    timeout: 120_000,
  }, async () => {
    const found: string[] = [];
    const views: Array<[string, string]> = [
      ['#/fleet', '[data-testid="fleet"] tbody tr'],
      ['#/kiosk/oslo-1/kiosk-01', '[data-testid="sales"] tbody tr'],
      ['#/sales', '[data-testid="sales-totals"] tbody tr'],
      ['#/reconcile', 'hq-reconcile form'],
    ];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const [hash, ready] of views) {
        await page.goto(`${hq.url}/${hash}`);
        await page.locator(ready).first().waitFor();
        await injectAxe(page);
        for (const v of await axeViolations(page)) found.push(`${size.width}x${size.height} ${hash} ${v}`);
      }
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows the sum of a kiosk's sales beside its Z report's total", async () => {
    await page.goto(`${hq.url}/#/sales`);
    const row = page.locator('[data-testid="sales-totals"] tr[data-kiosk="oslo-1/kiosk-01"]');
    await row.waitFor();
    await expect.poll(() => row.locator('[data-field="sum"]').textContent()).toContain('174,50');
    await expect.poll(() => row.locator('[data-field="z"]').textContent()).toContain('174,50');
  });
});
