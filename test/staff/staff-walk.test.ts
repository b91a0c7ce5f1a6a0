import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { screenPageUrl } from '../../contracts/screen-auth.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { KioskServer } from '../../device/server/kiosk-server.js';
import { newScreenToken } from '../../device/server/screen-guard.js';
import { buildUi } from '../../ui/build.mjs';
import { DEMO_CATALOG } from '../support/checkout-harness.js';
import { launchChromium } from '../support/chromium.js';
import { describeWithTools } from '../support/required-tools.js';
import { KARI, staffKiosk } from './staff-kiosk.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'staff');
const SIZES = {
  small: { width: 800, height: 480 },
  portrait: { width: 720, height: 1280 },
  large: { width: 1920, height: 1080 },
} as const;

let kiosk: Awaited<ReturnType<typeof staffKiosk>>;
let server: KioskServer;
let browser: Browser;
let page: Page;
let url: string;

describeWithTools(
  'staff mode on the kiosk screen',
  { chromium: '/usr/bin/chromium' },
  'apt-get install chromium',
  () => {
    beforeAll(async () => {
      const uiDir = await mkdtemp(join(tmpdir(), 'vk-staff-ui-'));
      [kiosk, browser] = await Promise.all([
        staffKiosk(),
        launchChromium(),
        buildUi({ outDir: uiDir }),
        mkdir(ARTIFACTS, { recursive: true }),
      ]);
      const token = newScreenToken();
      server = new KioskServer(
        {
          port: 0,
          uiDir,
          screenToken: token,
          catalog: await loadCatalogFile(DEMO_CATALOG),
          logger: silentLogger,
          demo: null,
          startedAt: Date.now(),
        },
        kiosk.harness.service,
      );
      url = screenPageUrl(await server.start(), token);
      page = await browser.newPage({ viewport: SIZES.small, hasTouch: true });
      page.setDefaultTimeout(10_000);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await kiosk?.stop();
    });

    /** Every size: the page's screenshot for a person to look at, and its buttons on screen without scrolling. */
    async function atEverySize(name: string, testids: string[]) {
      for (const [size, viewport] of Object.entries(SIZES)) {
        await page.setViewportSize(viewport);
        for (const testid of testids) {
          const box = await page.getByTestId(testid).boundingBox();
          expect(box, `${testid} on ${name} at ${size}`).not.toBeNull();
          expect(box!.y + box!.height, `${testid} on ${name} at ${size}`).toBeLessThanOrEqual(
            viewport.height,
          );
          expect(box!.x + box!.width, `${testid} on ${name} at ${size}`).toBeLessThanOrEqual(viewport.width);
        }
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${size}.png`) });
      }
      await page.setViewportSize(SIZES.small);
    }

    it('walks from the card through the PIN, a report and a return, and logs out', async () => {
      await page.goto(url);
      await page.getByTestId('screen-attract').waitFor();
      kiosk.harness.scan(kiosk.card());
      await page.getByTestId('pad-submit').waitFor();
      await expect(page.getByTestId('staff-title').textContent()).resolves.toContain(KARI.name);
      await atEverySize('pin', ['pad-submit', 'staff-cancel']);

      // A wrong PIN first: the screen says so and how many tries are left.
      for (const digit of '0000') await page.getByTestId(`pad-${digit}`).click();
      await page.getByTestId('pad-submit').click();
      await expect(page.getByTestId('staff-notice').textContent()).resolves.toContain('4 forsøk igjen');
      for (const digit of KARI.pin) await page.getByTestId(`pad-${digit}`).click();
      await expect(page.getByTestId('pad-display').textContent()).resolves.toBe('••••');
      await page.getByTestId('pad-submit').click();
      await page.getByTestId('staff-x').waitFor();
      await atEverySize('menu', ['staff-x', 'staff-z', 'staff-copy', 'staff-return', 'staff-log-out']);

      await page.getByTestId('staff-x').click();
      await expect(page.getByTestId('staff-report').textContent()).resolves.toContain('X-RAPPORT nr. 1');
      await atEverySize('x-report', ['staff-menu', 'staff-log-out']);

      await page.getByTestId('staff-menu').click();
      await page.getByTestId('staff-return').click();
      for (const digit of '0000000001') await page.getByTestId(`pad-${digit}`).click();
      await page.getByTestId('pad-submit').click();
      await page.getByTestId('return-more-0').click();
      await page.getByTestId('return-more-1').click();
      await expect(page.getByTestId('return-total').textContent()).resolves.toMatch(/67,80/);
      await atEverySize('return-pick', ['return-confirm', 'staff-menu']);
      await page.getByTestId('return-confirm').click();
      await expect(page.getByTestId('staff-receipt').textContent()).resolves.toContain('Returkvittering');
      await atEverySize('return-receipt', ['staff-menu', 'staff-log-out']);
      expect(kiosk.services.calls).toContainEqual({
        service: 'refund',
        request: {
          receiptNumber: '0000000001',
          lines: [
            { index: 0, quantity: 1 },
            { index: 1, quantity: 1 },
          ],
          employeeId: KARI.id,
        },
      });

      await page.getByTestId('staff-log-out').click();
      await page.getByTestId('screen-attract').waitFor();
      expect(kiosk.rows('staff.logout').map((row) => JSON.parse(row.data))).toEqual([
        { employeeId: KARI.id, reason: 'logged-out' },
      ]);
    }, 120_000);
  },
);
