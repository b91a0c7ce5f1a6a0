import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/package-root.js';
import { bootScreenToken, SCREEN_TOKEN_FILE } from '../../device/server/screen-token-file.js';
import { launchChromium } from '../support/chromium.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

// How the screen gets the daemon's per-boot token on a kiosk: the daemon writes it to its runtime
// directory, systemd copies it into the screen unit's credentials, the unit's start page hands it to
// Chromium in a URL fragment. Here the same steps run with temporary directories in place of /run.

const SYSTEMD = join(packageRoot(), 'systemd');
const START_PAGE = join(packageRoot(), 'bin', 'kiosk-screen-start-page');

/** The directives of one unit file, continuation lines joined. */
async function directives(unit: string): Promise<string[]> {
  return (await readFile(join(SYSTEMD, unit), 'utf8'))
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Runs the unit's ExecStartPre as systemd would: credentials and runtime directory in the environment. */
function writeStartPage(credentials: string, runtime: string, address: string) {
  const result = spawnSync('/bin/sh', [START_PAGE, address], {
    env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: credentials, RUNTIME_DIRECTORY: runtime },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

describe('the screen token from the daemon to Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-screen-token-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the screen unit loads the file the daemon writes, and opens the start page, not a tokenless URL', async () => {
    const daemon = await directives('vipps-kiosk.service');
    expect(daemon).toContain('RuntimeDirectory=vipps-kiosk');
    expect(daemon).toContain('RuntimeDirectoryPreserve=yes');
    const screen = await directives('vipps-kiosk-screen.service');
    expect(screen).toContain(`LoadCredential=screen-token:/run/vipps-kiosk/${SCREEN_TOKEN_FILE}`);
    expect(screen).toContain(
      'ExecStartPre=/bin/sh /opt/vipps-kiosk/bin/kiosk-screen-start-page http://127.0.0.1:8080/',
    );
    const exec = screen.find((line) => line.startsWith('ExecStart='))!;
    expect(exec).toMatch(/--app=file:\/\/\$\{RUNTIME_DIRECTORY\}\/start\.html /);
    expect(exec).not.toMatch(/screen-token|http:\/\//);
  });

  it('keeps one token per boot: 0600, kept across daemon restarts, replaced when not exactly its own', async () => {
    const runtime = join(dir, 'run-daemon');
    await mkdir(runtime);
    const token = await bootScreenToken(runtime);
    const file = join(runtime, SCREEN_TOKEN_FILE);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await bootScreenToken(runtime)).toBe(token);
    // Readable by others: someone may have seen it, so a restart makes a new one.
    await chmod(file, 0o644);
    const replaced = await bootScreenToken(runtime);
    expect(replaced).not.toBe(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(file, 'not a token', { mode: 0o600 });
    expect(await bootScreenToken(runtime)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the start page carries the token in the fragment, readable by the screen user only; garbage is refused', async () => {
    const credentials = join(dir, 'credentials');
    const runtime = join(dir, 'run-screen');
    await Promise.all([mkdir(credentials), mkdir(runtime)]);
    const token = 'ab'.repeat(32);
    await writeFile(join(credentials, 'screen-token'), token);
    expect(writeStartPage(credentials, runtime, 'http://127.0.0.1:8080/')).toMatchObject({ status: 0 });
    const page = join(runtime, 'start.html');
    expect(await readFile(page, 'utf8')).toContain(
      `content="0;url=http://127.0.0.1:8080/#screen-token=${token}"`,
    );
    expect((await stat(page)).mode & 0o777).toBe(0o600);

    await writeFile(join(credentials, 'screen-token'), '"><script>alert(1)</script>');
    const refused = writeStartPage(credentials, runtime, 'http://127.0.0.1:8080/');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/not 64 hex digits/);
  });

  it('Chromium opened on the start page reaches the daemon’s screen with the token', async () => {
    const kiosk = await new KioskUnderTest().start();
    const browser = await launchChromium();
    try {
      const credentials = join(dir, 'credentials-live');
      const runtime = join(dir, 'run-live');
      await Promise.all([mkdir(credentials), mkdir(runtime)]);
      await writeFile(join(credentials, 'screen-token'), kiosk.screenToken);
      expect(writeStartPage(credentials, runtime, `${kiosk.url}/`)).toMatchObject({ status: 0 });
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(runtime, 'start.html')).href);
      await page.getByTestId('screen-attract').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).origin).toBe(kiosk.url);
    } finally {
      await browser.close();
      await kiosk.stop();
    }
  });
});
