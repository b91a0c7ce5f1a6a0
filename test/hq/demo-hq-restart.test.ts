import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { type DemoHq, startDemoHq } from '../../demo/demo-hq.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../demo/embedded-broker.js';
import type { KioskDetail } from '../../hq/web/fleet-queries.js';
import type { FleetRow } from '../../hq/web/fleet-row.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { waitFor } from '../telemetry/subscriber.js';
import { builtPage, Visitor } from './hq-page-fixture.js';

// Issue 20's "Done when": the demo's parts started in-process as `vipps-kiosk demo` starts them (its
// embedded broker, the kiosk, HQ's collector on the embedded database in the state folder and the HQ
// page), a sale made, everything stopped and started again on the same folders: the page shows the
// kiosk live and its sale.

describe('the demo HQ after a restart of everything', () => {
  let stateDir: string;
  let built: Awaited<ReturnType<typeof builtPage>>;
  const key = TestCommandKey.generate();
  let broker: EmbeddedBroker | undefined;
  let hq: DemoHq | undefined;
  let kiosk: KioskUnderTest | undefined;

  async function startAll(kioskState?: string): Promise<void> {
    broker = await startEmbeddedBroker(0);
    hq = await startDemoHq({
      stateDir,
      brokerUrl: broker.url,
      commandKeyPath: key.keyFile,
      port: 0,
      logger: silentLogger,
      pageDir: built.dir,
    });
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, protocolVersion: 4, willDelaySeconds: 0, healthIntervalMs: 200 },
      commandKeysDir: key.keysDir,
      ...(kioskState ? { stateDir: kioskState } : {}),
    });
  }

  async function stopAll(): Promise<void> {
    await kiosk?.stop();
    await hq?.stop();
    await broker?.close();
  }

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'vk-demo-hq-'));
    built = await builtPage();
  });
  afterAll(async () => {
    await stopAll();
    await built?.remove();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Visitor> {
    const visitor = new Visitor(hq!.url);
    expect((await visitor.signIn(hq!.login.user, hq!.login.password)).status).toBe(303);
    return visitor;
  }

  async function fleet(visitor: Visitor): Promise<FleetRow[]> {
    return ((await (await visitor.fetch('/api/fleet')).json()) as { rows: FleetRow[] }).rows;
  }

  it('shows the demo kiosk live and its sale', { timeout: 240_000 }, async () => {
    await startAll();
    const k = kiosk!;
    await k.scan('2000000000015');
    await k.scan(k.sandbox.customers[0]!.personalQrV2);
    const waiting = await k.screen('awaiting-approval');
    await k.control.act(waiting.payment!.reference, 'approve');
    k.clock.increment(5_000);
    await k.screen('approved');
    const before = await signedIn();
    await waitFor(
      'the sale on the HQ page',
      async () => (await fleet(before)).some((row) => row.lastSale?.amount === 2490),
      20_000,
    );
    const kioskState = k.stateDir;

    await stopAll();
    await startAll(kioskState);
    const after = await signedIn();
    await waitFor(
      'the kiosk online again on the HQ page',
      async () => (await fleet(after)).some((row) => row.online === true && row.lastSale?.amount === 2490),
      20_000,
    );
    const [row] = await fleet(after);
    expect(row).toMatchObject({ online: true, lastSale: { amount: 2490, currency: 'NOK' } });
    const detail = (await (
      await after.fetch(`/api/kiosks/${row!.site}/${row!.device}`)
    ).json()) as KioskDetail;
    expect(detail.sales.filter((s) => s.type === 'checkout-completed')).toMatchObject([
      { amount: 2490, currency: 'NOK', receipt: '0000000001' },
    ]);
  });
});
