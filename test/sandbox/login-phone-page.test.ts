import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { asArray, asObject, request, useSandbox } from './helpers.js';

// The phone page in real Chromium: the customer sees the login request with the kiosk's binding message,
// ticks a consent and taps "Approve login"; payments beside it still work as before.

const KARI = '4791234567';

describe('phone page with a Vipps Login request', () => {
  const vipps = useSandbox();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const startLogin = async (scope: string): Promise<string> => {
    const { url, credentials } = vipps().sandbox;
    const answer = await request(`${url}/vipps-login-ciba/api/backchannel/authentication`, 'POST', {
      body: new URLSearchParams({
        scope,
        login_hint: `urn:msisdn:${KARI}`,
        binding_message: 'KIOSK-07',
        requested_expiry: '180',
      }).toString(),
      headers: {
        Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return String(asObject(answer.body)['auth_req_id']);
  };
  const loginsNow = async () =>
    asArray((await request(`${vipps().sandbox.url}/_sandbox/logins`, 'GET')).body).map(asObject);

  const openPhone = async () => {
    page = await browser.newPage();
    await page.goto(`${vipps().sandbox.url}/phone?msisdn=${KARI}`);
    await page.locator('#pending[aria-busy="false"]').waitFor({ state: 'attached' });
  };

  it('shows the binding message and approves with the ticked consents', async () => {
    const id = await startLogin('openid name delegatedConsents');
    await openPhone();
    try {
      const card = page.getByTestId(`login-${id}`);
      await card.waitFor({ state: 'visible' });
      expect(await page.getByTestId(`binding-${id}`).textContent()).toBe('KIOSK-07');
      expect(await card.textContent()).toContain('Shares your name, club consents');
      await page.getByRole('checkbox', { name: 'Offers and news by e-mail' }).check();
      await page.getByRole('button', { name: 'Approve login', exact: true }).click();
      await page.getByTestId(`login-status-${id}`).filter({ hasText: 'APPROVED' }).waitFor();
      expect(await card.count()).toBe(0);
      expect(await loginsNow()).toEqual([
        expect.objectContaining({ authReqId: id, state: 'APPROVED', acceptedConsents: ['email'] }),
      ]);
    } finally {
      await page.close();
    }
  });

  it('rejects a login, and a payment beside it keeps its own buttons', async () => {
    const id = await startLogin('openid');
    const reference = await vipps().created();
    await openPhone();
    try {
      await page.getByTestId(`login-${id}`).waitFor({ state: 'visible' });
      await page.getByTestId(`payment-${reference}`).waitFor({ state: 'visible' });
      expect(
        await page.getByRole('button', { name: 'Reject login', exact: true }).getAttribute('data-testid'),
      ).toBe(`reject-login-${id}`);
      await page.getByTestId(`reject-login-${id}`).click();
      await page.getByTestId(`login-status-${id}`).filter({ hasText: 'DENIED' }).waitFor();
      expect(
        await page.getByRole('button', { name: 'Approve', exact: true }).getAttribute('data-testid'),
      ).toBe(`approve-${reference}`);
      await page.getByTestId(`approve-${reference}`).click();
      await page.getByTestId(`status-${reference}`).filter({ hasText: 'AUTHORIZED' }).waitFor();
      expect((await loginsNow())[0]).toMatchObject({ state: 'DENIED' });
    } finally {
      await page.close();
    }
  });
});
