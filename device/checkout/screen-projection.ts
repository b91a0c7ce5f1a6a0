import type { SnapshotFrom } from 'xstate';
import { maskMsisdn } from '../../common/log/mask.js';
import type { DeviceStatus, ScreenLine, ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import { LED_TABLE, ledMeaning, ledStatesOf } from '../hardware/led-table.js';
import { lineDiscount, lineTotal } from './domain/basket.js';
import { memberSavings } from './domain/member-prices.js';
import type { checkoutMachine } from './machine.js';

export type CheckoutSnapshot = SnapshotFrom<typeof checkoutMachine>;

/** The screen a snapshot shows: each flow state carries a `screen:<name>` tag. */
export function screenOf(snapshot: CheckoutSnapshot): ScreenName {
  for (const tag of snapshot.tags) if (tag.startsWith('screen:')) return tag.slice(7) as ScreenName;
  return 'attract';
}

/** `{ session: { flow: { awaitingApproval: 'waiting' }, idle: 'watching' } }` -> `session.flow.awaitingApproval.waiting`. */
export function flowStatePath(snapshot: CheckoutSnapshot): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const path = ['session', 'flow'];
  let node: unknown = (value as { session: { flow: unknown } }).session.flow;
  while (node && typeof node === 'object') {
    const [key, child] = Object.entries(node as Record<string, unknown>)[0]!;
    path.push(key);
    node = child;
  }
  if (typeof node === 'string') path.push(node);
  return path.join('.');
}

export function screenModel(
  snapshot: CheckoutSnapshot,
  options: {
    demo: boolean;
    recovery: ScreenModel['recovery'];
    identifying: boolean;
    /** The scanner's state; a kiosk without hardware adapters counts as ready. */
    device?: DeviceStatus;
  },
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
  const device = options.device ?? { region: 'ready', scanner: 'attached' };
  const leds = ledStatesOf(
    LED_TABLE[
      ledMeaning({ screen, vippsReachable: context.vippsReachable, identifying: options.identifying, device })
    ],
  );
  const inPayment = ['paying', 'awaiting-approval', 'cancelling', 'capturing'].includes(screen);
  const customer = context.customer;
  return {
    screen,
    machineState: flowStatePath(snapshot),
    language: context.language,
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
      inPayment && context.reference && customer
        ? {
            reference: context.reference,
            amount: context.amount,
            expiresAt: context.expiresAt,
            customer: 'phoneNumber' in customer ? maskMsisdn(customer.phoneNumber) : null,
          }
        : null,
    receipt:
      screen === 'approved' && context.receipt
        ? {
            receiptNumber: context.receipt.receiptNumber,
            paidAt: context.receipt.paidAt,
            total: context.receipt.total,
            lines: context.receipt.orderLines.map((line) => ({
              gtin: line.id,
              name: line.name,
              quantity: Number(line.unitInfo?.quantity ?? 1),
              unitPrice: line.unitInfo?.unitPrice ?? line.totalAmount,
              discount: line.discount ?? 0,
              lineTotal: line.totalAmount,
            })),
            savings: context.receipt.orderLines.reduce((sum, line) => sum + (line.discount ?? 0), 0),
            vat: vatByRate(context.receipt.orderLines),
          }
        : null,
    declined: screen === 'declined' && context.declined ? { reason: context.declined } : null,
    outOfOrder: null,
    club: context.env.club
      ? {
          status: context.club.status,
          offerSavings: memberSavings(context.basket),
          loginLeftOpen: context.club.status === 'skipped' && context.club.login?.authReqId != null,
          consent:
            screen === 'club-consent' && context.club.login
              ? { bindingMessage: context.club.login.bindingMessage, expiresAt: context.club.login.expiresAt }
              : null,
        }
      : null,
    idleWarning: context.idleWarningEndsAt === null ? null : { endsAt: context.idleWarningEndsAt },
    recovery: options.recovery,
    device,
    identifying: options.identifying,
    vippsReachable: context.vippsReachable,
    now: context.env.now(),
    leds,
    demo: options.demo ? { leds } : null,
  };
}

function vatByRate(lines: ReadonlyArray<{ taxRate: number; totalTaxAmount: number }>) {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.taxRate, (byRate.get(line.taxRate) ?? 0) + line.totalTaxAmount);
  return [...byRate].sort(([a], [b]) => b - a).map(([rate, amount]) => ({ rate, amount }));
}
