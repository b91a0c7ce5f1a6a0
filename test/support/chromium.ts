import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (the `chromium` package; `.ci/run` installs it), headless, never a downloaded
 * browser. The background services are off because this machine's network is closed and Chromium
 * would otherwise keep trying to reach Google at every start.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
