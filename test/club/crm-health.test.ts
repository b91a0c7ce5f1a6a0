import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CRM_TOKEN, CrmServer } from '../support/crm-server.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// The whole daemon with its club in the merchant's CRM: a customer joins while the CRM is down, pays
// member prices all the same, and HQ's health samples show the enrolment waiting, then delivered.

describeWithMosquitto('club enrolments waiting for the CRM, as HQ sees them', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let crm: CrmServer;
  let kiosk: KioskUnderTest | undefined;
  const base = 'vk/v1/demo/it-kiosk-1';

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, [`${base}/health`]);
  });
  afterEach(async () => {
    await kiosk?.stop();
    await crm?.stop();
  });
  afterAll(async () => {
    await hq?.close();
    await broker?.dispose();
  });

  const lastCrm = () => hq.json<{ crm?: Record<string, number> }>(`${base}/health`).at(-1)?.crm;

  it('a customer joins while the CRM is down: member prices now, queued in health, delivered when it is back', async () => {
    crm = new CrmServer();
    const crmUrl = await crm.start();
    const running = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, healthIntervalMs: 100 },
      club: { enabled: true, store: 'http', crmUrl, crmTimeoutMs: 500 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password, VK_SECRETS__CLUB__CRM_TOKEN: CRM_TOKEN },
    });
    kiosk = running;
    const customer = running.sandbox.customers[0]!;
    const screen = await new ScreenSocket().open(running);
    await running.scan('2000000000039'); // coffee: 69,90, members 59,90
    await running.scan(customer.personalQrV2);
    await running.screen('club-offer'); // the CRM answered: not a member yet

    // The CRM goes away while the customer says yes in the app.
    await crm.down();
    screen.send({ type: 'join-club' });
    await running.screen('club-consent');
    let login: { authReqId: string } | undefined;
    for (const deadline = Date.now() + 5_000; !login && Date.now() < deadline; ) {
      [login] = await running.control.logins(customer.msisdn);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!login) throw new Error('no login request reached the sandbox');
    await running.control.answerLogin(login.authReqId, 'approve');
    running.sandbox.clock.advance(5_000);
    running.clock.increment(5_000);
    const member = await running.screen('awaiting-approval');
    expect(member.club?.status).toBe('joined');
    expect(member.payment?.amount).toBe(5990);
    screen.close();

    await waitFor('the enrolment waiting in health', () => lastCrm()?.queued === 1);
    expect(crm.members.size).toBe(0);
    await crm.start();
    await waitFor('the enrolment delivered', () => lastCrm()?.delivered === 1, 15_000);
    expect(lastCrm()).toEqual({ queued: 0, delivered: 1, refused: 0 });
    expect(crm.members.get(customer.sub)).toBeDefined();
  });
});
