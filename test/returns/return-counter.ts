import { silentLogger } from '../../common/log/logger.js';
import type { JournaledSale } from '../../device/cash-register/cash-register.js';
import { CashRegisterRecorder } from '../../device/cash-register/recorder.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';
import { type Refunds, VippsReturnDesk } from '../../device/returns/return-desk.js';
import { COMPANY, newTill } from '../cash-register/till.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';

// Shared by the returns tests: the real checkout paying into the real sandbox over loopback, with the
// payment journal, and the cash-register journal fed by its domain events, as the daemon wires them;
// the return desk on top, refunding through the real Vipps client into the same sandbox.

export const MILK = '2000000000015';
export const BREAD = '2000000000022';

export interface Counter {
  kiosk: CheckoutHarness;
  till: Awaited<ReturnType<typeof newTill>>;
  recorder: CashRegisterRecorder;
  desk: VippsReturnDesk;
  /** The desk's parts, for a second desk (after a restart) or recovery. */
  deskOn(vipps: Refunds): VippsReturnDesk;
  /**
   * Sells what `scans` put in the basket to the test customer; the receipt number and its sale row. With
   * `training`, the payment's reference is added to it before approval, so the recorder journals a
   * training receipt (in the daemon, TrainingRoute knows its references and pays them to the sandbox).
   */
  sell(scans: string[], training?: Set<string>): Promise<JournaledSale>;
  stop(): Promise<void>;
}

export async function openCounter(
  options: { training?: { isTraining(reference: string): boolean } } = {},
): Promise<Counter> {
  const kiosk = await new CheckoutHarness({ journal: true, seller: COMPANY }).start();
  const till = await newTill(() => kiosk.clock.now());
  const recorder = new CashRegisterRecorder({
    register: till.register,
    store: till.store,
    checkout: kiosk.service,
    catalog: new ReloadableCatalog(DEMO_CATALOG, await loadCatalogFile(DEMO_CATALOG)),
    softwareVersion: '0.1.0',
    ...options,
    logger: silentLogger,
    onFault: (message) => {
      if (message !== null) throw new Error(message);
    },
  });
  await recorder.start();
  const deskOn = (vipps: Refunds) =>
    new VippsReturnDesk({
      store: till.store,
      register: till.register,
      refunds: kiosk.journal!.refunds,
      vipps,
      seller: COMPANY,
      kioskId: 'kiosk-07',
      now: () => kiosk.clock.now(),
      logger: silentLogger,
    });
  return {
    kiosk,
    till,
    recorder,
    desk: deskOn(kiosk.client.epayment),
    deskOn,
    async sell(scans, training) {
      for (const scan of scans) kiosk.scan(scan);
      kiosk.scan(kiosk.customer.personalQrV2);
      const reference = (await kiosk.until('awaiting-approval')).payment!.reference;
      training?.add(reference);
      await kiosk.control.act(reference, 'approve');
      kiosk.tick(5_000);
      await kiosk.until('approved');
      kiosk.send({ type: 'done' });
      kiosk.tick(60_000);
      const sales = till.store.ofKind(training ? 'training.sale' : 'sale');
      const sale = JSON.parse(sales[sales.length - 1]!.data) as JournaledSale;
      if (sale.reference !== reference) throw new Error(`no sale journaled for ${reference}`);
      return sale;
    },
    async stop() {
      await kiosk.stop();
      till.store.close();
    },
  };
}
