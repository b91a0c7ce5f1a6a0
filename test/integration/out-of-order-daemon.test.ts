import { afterEach, describe, expect, it } from 'vitest';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

// Issue 14, item 3, through the whole daemon: a sales unit Vipps will not let push payments (5080) puts
// the kiosk out of order, /healthz says why, and HQ's maintenance switch brings it back with the alert
// cleared.

describe('the daemon out of order for a merchant setup fault', () => {
  let kiosk: KioskUnderTest;
  afterEach(async () => {
    await kiosk?.stop();
  });

  async function health(): Promise<{ alerts: Array<{ code: string; severity: string; message: string }> }> {
    return (await fetch(new URL('/healthz', kiosk.url))).json() as Promise<never>;
  }

  it('shows out-of-order with the code, alerts in /healthz, and clears it when HQ switches maintenance', async () => {
    kiosk = await new KioskUnderTest().start();
    const msn = kiosk.sandbox.credentials.merchantSerialNumber;
    await kiosk.control.salesUnit(msn, { pushMessage: false });
    await kiosk.scan('2000000000015');
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const model = await kiosk.screen('out-of-order');
    expect(model.outOfOrder?.code).toBe('vipps-5080');
    expect(model.outOfOrder?.message).toContain(msn);
    expect((await health()).alerts).toEqual([
      expect.objectContaining({ code: 'vipps-5080', severity: 'critical' }),
    ]);
    // The next customer is not invited: a scan starts no basket.
    await kiosk.scan('2000000000015');
    expect((await kiosk.state()).screen).toBe('out-of-order');

    await kiosk.control.salesUnit(msn, { pushMessage: true });
    kiosk.kiosk.checkout.maintenance(true);
    kiosk.kiosk.checkout.maintenance(false);
    await kiosk.screen('attract');
    expect((await health()).alerts).toEqual([]);
  });
});
