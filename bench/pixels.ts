import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../common/log/logger.js';
import { packageRoot } from '../common/package-root.js';
import { screenPageUrl } from '../contracts/screen-auth.js';
import { sandboxSettings } from '../demo/sandbox-settings.js';
import { startKiosk } from '../device/main.js';
import { startSandbox } from '../sandbox/index.js';
import { launchChromium } from '../test/support/chromium.js';
import { ms, percentile } from './stats.js';

// State change to pixels: the kiosk screen in Debian's Chromium (headless) changes a basket line's
// quantity by sending an intent over the daemon's WebSocket, then waits for the frame that shows the
// new quantity. Each sample runs from sending the intent (the daemon changes state on arrival) to just
// after that frame: the round trip through the daemon plus rendering, so an upper bound.

const MILK = '2000000000015';

export async function benchPixels(samples: number): Promise<{ lines: string; p95: number }> {
  const sandbox = await startSandbox();
  const settings = sandboxSettings(sandbox, {
    stateDir: await mkdtemp(join(tmpdir(), 'vk-pixels-')),
    port: 0,
    deviceId: 'bench-pixels',
  });
  const kiosk = await startKiosk(settings, {
    logger: silentLogger,
    demo: { phoneUrl: `${sandbox.url}/phone`, sandboxUrl: sandbox.url, customers: [] },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(screenPageUrl(kiosk.url, kiosk.screenToken));
    await page.getByTestId('screen-attract').waitFor();
    kiosk.checkout.scan(MILK);
    await page.getByTestId(`line-${MILK}-quantity`).waitFor();

    // Evaluated through DevTools: the kiosk's Content-Security-Policy rightly refuses injected script tags.
    await page.evaluate(await readFile(join(packageRoot(), 'bench', 'pixels-page.js'), 'utf8'));
    const timings = await page.evaluate(
      ({ gtin, count }) =>
        (window as unknown as { measurePixels(g: string, c: number): Promise<number[]> }).measurePixels(
          gtin,
          count,
        ),
      { gtin: MILK, count: samples },
    );
    const p50 = percentile(timings, 50);
    const p95 = percentile(timings, 95);
    return {
      p95,
      lines:
        `state change to pixels over ${samples} changes: p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...timings))}` +
        `  — target p95 ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'}`,
    };
  } finally {
    await browser.close();
    await kiosk.stop();
    await sandbox.close();
  }
}
