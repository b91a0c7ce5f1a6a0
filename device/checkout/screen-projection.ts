import type { SnapshotFrom, StateValue } from 'xstate';
import { maskMsisdn } from '../../common/log/mask.js';
import type {
  DeviceStatus,
  LedStates,
  ScreenLine,
  ScreenModel,
  ScreenName,
  StaffModel,
} from '../../contracts/screen-model.js';
import { LED_TABLE, type LedMeaning, ledMeaning, ledStatesOf } from '../hardware/led-table.js';
import { lineDiscount, lineTotal } from './domain/basket.js';
import { memberSavings } from './domain/member-prices.js';
import { receiptSavings, vatByRate } from './domain/receipt.js';
import { salesReceipt } from './domain/sales-receipt.js';
import type { checkoutMachine } from './machine.js';
import { saleCompleted } from './session.js';

// Pure projections of the machine's snapshot: the screen model and the status LED's meaning. Each is
// computed from the snapshot (and what the adapters say of themselves) and nothing is written back.

export type CheckoutSnapshot = SnapshotFrom<typeof checkoutMachine>;

/** What the screen shows besides the checkout: parts outside the machine that speak for themselves. */
export interface Surroundings {
  demo: boolean;
  recovery: ScreenModel['recovery'];
  /** The scanner's state; a kiosk without hardware adapters counts as ready. */
  device: DeviceStatus;
  now: number;
  /** Training mode is on: the banner shows, and the receipt made now is a training receipt. */
  training?: boolean;
  /** Staff mode's page (device/staff/), shown on the `staff` screen only. */
  staff?: StaffModel | null;
}

const READY: DeviceStatus = { region: 'ready', scanner: 'attached' };

export function deviceOr(device: DeviceStatus | undefined): DeviceStatus {
  return device ?? READY;
}

/** The screen a snapshot shows: each flow state carries a `screen:<name>` tag. */
export function screenOf(snapshot: CheckoutSnapshot): ScreenName {
  for (const tag of snapshot.tags) if (tag.startsWith('screen:')) return tag.slice(7) as ScreenName;
  return 'attract';
}

/** The row of the LED table the kiosk is in. */
export function ledMeaningOf(snapshot: CheckoutSnapshot, device: DeviceStatus): LedMeaning {
  const { vippsReachable, identifying } = snapshot.context;
  return ledMeaning({ screen: screenOf(snapshot), vippsReachable, identifying, device });
}

/**
 * `session.flow.awaitingApproval.waiting`; a state that runs a child machine (the club consent, the
 * capture or cancel loop) goes on with the child's state: `session.flow.cancelling.pausing`.
 */
export function flowStatePath(snapshot: CheckoutSnapshot): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const { session } = value as { session?: { flow: StateValue } };
  // Out of order has steps of its own (waiting, probing) and no flow.
  if (session === undefined) return statePath(value).join('.');
  const path = ['session', 'flow', ...statePath(session.flow)];
  for (const child of Object.values(snapshot.children)) {
    const state = child?.getSnapshot() as { value?: StateValue } | undefined;
    if (state?.value !== undefined) path.push(...statePath(state.value));
  }
  return path.join('.');
}

function statePath(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  const [key, child] = Object.entries(value)[0] ?? [];
  return key === undefined ? [] : [key, ...(child === undefined ? [] : statePath(child))];
}

/**
 * The screen model. `meaning` is the LED row (ledMeaningOf), computed once by the caller, and
 * `shownLeds` what the LED driver actually shows (a good-read flash included) for the demo overlay.
 */
export function screenModel(
  snapshot: CheckoutSnapshot,
  around: Surroundings,
  meaning: LedMeaning,
  shownLeds?: LedStates,
): ScreenModel {
  const { context } = snapshot;
  const screen = screenOf(snapshot);
  const lines: ScreenLine[] = context.basket.lines.map((line) => ({
    gtin: line.product.gtin,
    name: line.product.name,
    quantity: line.quantity,
    unitPrice: line.product.unitPrice,
    discount: lineDiscount(line),
    lineTotal: lineTotal(line),
  }));
  const leds = ledStatesOf(LED_TABLE[meaning]);
  const inPayment = ['paying', 'awaiting-approval', 'cancelling', 'capturing'].includes(screen);
  const { customer, payment, receipt } = context;
  return {
    screen,
    machineState: flowStatePath(snapshot),
    language: context.language,
    theme: context.theme,
    market: context.env.catalog.market.country,
    currency: context.env.catalog.market.currency,
    storeName: context.env.storeName,
    basket: {
      lines,
      total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
      itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
      savings: lines.reduce((sum, line) => sum + line.discount, 0),
    },
    feedback: context.feedback,
    payment:
      inPayment && payment && customer
        ? {
            reference: payment.reference,
            amount: payment.amount,
            expiresAt: payment.expiresAt,
            customer: 'phoneNumber' in customer ? maskMsisdn(customer.phoneNumber) : null,
            ...(screen === 'awaiting-approval' && payment.qr ? { qr: payment.qr } : {}),
          }
        : null,
    receipt:
      screen === 'approved' && receipt
        ? {
            receiptNumber: receipt.receiptNumber,
            paidAt: receipt.paidAt,
            total: receipt.total,
            lines: receipt.orderLines.map((line) => ({
              gtin: line.id,
              name: line.name,
              quantity: Number(line.unitInfo?.quantity ?? 1),
              unitPrice: line.unitInfo?.unitPrice ?? line.totalAmount,
              discount: line.discount ?? 0,
              lineTotal: line.totalAmount,
            })),
            savings: receiptSavings(receipt.orderLines),
            vat: vatByRate(receipt.orderLines),
            sales: context.env.seller
              ? {
                  ...salesReceipt(saleCompleted(context, receipt), context.env.seller, context.env.kioskId),
                  ...(around.training ? { training: true as const } : {}),
                }
              : null,
          }
        : null,
    declined: screen === 'declined' && context.declined ? { reason: context.declined } : null,
    outOfOrder: screen === 'out-of-order' ? context.outOfOrder : null,
    club: context.env.club
      ? {
          status: context.club.status,
          offerSavings: memberSavings(context.basket),
          loginLeftOpen: context.club.status === 'skipped' && context.club.login?.authReqId != null,
          consent:
            screen === 'club-consent' && context.club.login
              ? {
                  bindingMessage: context.club.login.bindingMessage,
                  expiresAt: context.club.login.expiresAt,
                  notice: context.club.login.notice,
                  cashierStarted: snapshot.matches('posEnrolment'),
                }
              : null,
        }
      : null,
    idleWarning: context.idleWarningEndsAt === null ? null : { endsAt: context.idleWarningEndsAt },
    recovery: around.recovery,
    device: around.device,
    identifying: context.identifying,
    ...(around.training ? { training: true as const } : {}),
    ...(context.env.attended ? { attended: true as const } : {}),
    vippsReachable: context.vippsReachable,
    now: around.now,
    leds,
    demo: around.demo ? { leds: shownLeds ?? leds } : null,
    staff: screen === 'staff' ? (around.staff ?? null) : null,
  };
}
