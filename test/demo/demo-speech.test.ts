import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenAuthorization, screenPageUrl } from '../../contracts/screen-auth.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { launchChromium } from '../support/chromium.js';
import { start, waitFor } from '../support/cli-process.js';

// `vipps-kiosk demo --speech`: speech mode on, and the demo panel's tactile-key buttons (the real page in
// Chromium) press the demo's fake keys through POST /api/demo/key. Without the flag there are no keys.
// The sound goes to ALSA's "null" device, so the test needs no sound card.

const SCREEN = /kiosk screen {2}(http:\/\/127\.0\.0\.1:\d+)\/#screen-token=([0-9a-f]{64})\n/;

let demo: ReturnType<typeof start> | undefined;
let browser: Browser;
let stateDir: string | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo!.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
  demo = undefined;
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

async function startDemo(...flags: string[]) {
  stateDir = await mkdtemp(join(tmpdir(), 'vk-demo-speech-'));
  const ports = ['--port', '0', '--sandbox-port', '0', '--broker-port', '0'];
  demo = start(['demo', ...ports, '--no-hq', '--state-dir', stateDir, ...flags], {
    VK_SPEECH__ALSA_DEVICE: 'null',
    VK_LOG__LEVEL: 'info',
  });
  const [, url, token] = await waitFor(demo, SCREEN, 30_000);
  const headers = { authorization: screenAuthorization(token!), 'content-type': 'application/json' };
  return {
    page: screenPageUrl(url!, token!),
    get: async <T>(path: string) => (await (await fetch(`${url}${path}`, { headers })).json()) as T,
    post: (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  };
}

describe('the demo with --speech', () => {
  it('offers the tactile keys to its panel; the speech key turns speech mode on in the screen model', {
    timeout: 60_000,
  }, async () => {
    const kiosk = await startDemo('--speech');
    const info = await kiosk.get<{ keys: string[] }>('/api/demo');
    expect(info.keys).toEqual(['speech', 'next', 'previous', 'select', 'back', 'volume-up', 'volume-down']);
    expect((await kiosk.get<{ model: ScreenModel }>('/api/state')).model.speech).toMatchObject({ on: false });

    // Wide enough that the panel starts open, as a developer's screen would have it.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    try {
      await page.goto(kiosk.page);
      await page.getByTestId('demo-key-speech').click();
      // Speech mode brings large text with it, as the real key does.
      await expect
        .poll(async () => (await kiosk.get<{ model: ScreenModel }>('/api/state')).model, { timeout: 10_000 })
        .toMatchObject({ speech: { on: true }, theme: 'high-contrast' });
    } finally {
      await page.close();
    }
    expect(demo!.output()).toContain('speech mode on');

    const pressed = await kiosk.post('/api/demo/key', { key: 'speech' });
    expect(pressed.status).toBe(202);
    expect(((await pressed.json()) as { model: ScreenModel }).model.speech).toMatchObject({ on: false });

    const refused = await kiosk.post('/api/demo/key', { key: 'pay' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('one of speech, next');
  });

  it('has no keys without it: nothing would listen to them', { timeout: 60_000 }, async () => {
    const kiosk = await startDemo();
    expect((await kiosk.get<{ keys: string[] }>('/api/demo')).keys).toEqual([]);
    expect((await kiosk.post('/api/demo/key', { key: 'speech' })).status).toBe(404);
    expect((await kiosk.get<{ model: ScreenModel }>('/api/state')).model.speech).toBeUndefined();
  });
});
