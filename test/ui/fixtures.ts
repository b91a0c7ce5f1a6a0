import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type {
  DeclineReason,
  Language,
  MarketCountry,
  OutOfOrder,
  ScreenLine,
  ScreenModel,
  ScreenName,
  Theme,
} from '../../contracts/screen-model.js';
import { DEMO_COMPANY } from '../../demo/demo-cash-register.js';
import { CURRENCY_OF } from '../../device/checkout/domain/market.js';
import { merchantSetupFault } from '../../device/checkout/domain/merchant-setup-faults.js';
import { salesReceipt } from '../../device/checkout/domain/sales-receipt.js';
import { splitVatInclusive } from '../../device/checkout/domain/vat.js';
import { qrPicture } from '../../device/checkout/payment-qr.js';
import { VippsApiError } from '../../device/vipps/errors.js';

// A Norwegian grocery basket from the demo catalog, prices in øre, VAT included: food 15 %, the
// batteries and the carrier bag 25 %, the newspaper 0 %.
const PRODUCTS = [
  { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490, quantity: 2, vat: 1500 },
  { gtin: '2000000000022', name: 'Brød grovt', unitPrice: 4290, quantity: 1, vat: 1500 },
  { gtin: '2000000000039', name: 'Kaffe 250 g', unitPrice: 6990, quantity: 1, vat: 1500 },
  { gtin: '2000000000046', name: 'Bananer 6 stk', unitPrice: 3290, quantity: 1, vat: 1500 },
  { gtin: '2000000000114', name: 'Laksefilet 400 g', unitPrice: 11990, quantity: 1, vat: 1500 },
  { gtin: '2000000000152', name: 'Melkesjokolade 200 g', unitPrice: 4990, quantity: 3, vat: 1500 },
  { gtin: '2000000000169', name: 'Dagens avis', unitPrice: 4500, quantity: 1, vat: 0 },
  { gtin: '2000000000183', name: 'Batterier AA 4 pk', unitPrice: 7990, quantity: 1, vat: 2500 },
  { gtin: '2000000000213', name: 'Bærepose', unitPrice: 300, quantity: 2, vat: 2500 },
] as const;

export const LINES: ScreenLine[] = PRODUCTS.map(({ gtin, name, unitPrice, quantity }) => ({
  gtin,
  name,
  unitPrice,
  quantity,
  discount: 0,
  lineTotal: unitPrice * quantity,
}));

// What club members pay less for this basket (member prices in the demo catalog): coffee 10 kr,
// salmon 20 kr, three chocolates 3 × 10 kr, batteries 20 kr.
export const OFFER_SAVINGS = 1000 + 2000 + 3 * 1000 + 2000;
export const BINDING_MESSAGE = 'HJK-479';
/** What the login countdown starts at: 2:45. */
export const LOGIN_SECONDS_LEFT = 2 * 60 + 45;

export const TOTAL = LINES.reduce((sum, line) => sum + line.lineTotal, 0);

// The VAT inside each rate's share of the total, rounded the way device/checkout/domain/vat.ts does.
const VAT = [...new Set(PRODUCTS.map((product) => product.vat))].map((rate) => {
  const gross = PRODUCTS.filter((p) => p.vat === rate).reduce((sum, p) => sum + p.unitPrice * p.quantity, 0);
  return { rate, amount: gross - Math.round((gross * 10_000) / (10_000 + rate)) };
});

export const RECEIPT_NUMBER = 'K01-000482';
const REFERENCE = 'kiosk-k01-000482';

/**
 * The Salgskvittering of this basket at a kiosk that is a cash register (the demo's company), made by the
 * daemon's own function from the lines as they went to Vipps.
 */
export function salesFixture(paidAt: number): SalesReceipt {
  const lines = PRODUCTS.map(({ gtin, name, unitPrice, quantity, vat }) => {
    const totalAmount = unitPrice * quantity;
    const { excludingTax, tax } = splitVatInclusive(totalAmount, vat);
    return {
      name,
      id: gtin,
      totalAmount,
      totalAmountExcludingTax: excludingTax,
      totalTaxAmount: tax,
      taxRate: vat,
      unitInfo: { unitPrice, quantity: String(quantity), quantityUnit: 'PCS' as const },
    };
  });
  const sale = { reference: REFERENCE, receiptNumber: RECEIPT_NUMBER, paidAt, lines, amount: TOTAL };
  return salesReceipt({ ...sale, currency: 'NOK', pspReference: null }, DEMO_COMPANY, 'k01');
}
/** As the daemon sends it: masked (common/log/mask.ts). */
export const CUSTOMER = '47******67';
/** What the payment countdown starts at: 4:32. */
export const PAYMENT_SECONDS_LEFT = 4 * 60 + 32;
export const IDLE_SECONDS_LEFT = 25;

export const ITEM_COUNT = LINES.reduce((n, line) => n + line.quantity, 0);

/** The fault staff see on `out-of-order`: the longest of the merchant-setup texts, as the daemon makes it. */
export const OUT_OF_ORDER: OutOfOrder = merchantSetupFault(
  new VippsApiError({ name: 'create payment' }, 403, {
    title: 'Forbidden',
    status: 403,
    extraDetails: [{ name: 'ErrorCode', reason: '5040' }],
  }),
  { msn: '123456', currency: 'NOK' },
)!;

const basket = { lines: LINES, total: TOTAL, itemCount: ITEM_COUNT, savings: 0 };
const emptyBasket = { lines: [], total: 0, itemCount: 0, savings: 0 };

const MACHINE_STATES: Record<ScreenName, string> = {
  attract: 'idle',
  basket: 'session.flow.basket',
  identify: 'session.flow.identify',
  paying: 'session.flow.paying',
  'awaiting-approval': 'session.flow.awaitingApproval.waiting',
  cancelling: 'session.flow.cancelling',
  capturing: 'session.flow.capturing',
  approved: 'session.flow.approved',
  declined: 'session.flow.declined',
  unavailable: 'session.flow.unavailable',
  maintenance: 'maintenance',
  'club-checking': 'session.flow.membership.lookingUp',
  'club-offer': 'session.flow.clubOffer',
  'club-consent': 'session.flow.consent.awaiting.waiting',
  'out-of-order': 'outOfOrder',
  staff: 'staff',
};

export interface FixtureOptions {
  language?: Language;
  /** The look the customer chose; `standard` by default. */
  theme?: Theme;
  /** The kiosk's market, which decides its currency; Norway by default. */
  market?: MarketCountry;
  /** The daemon's clock; anything but the browser's proves countdowns use the model's `now`. */
  now?: number;
  declined?: DeclineReason;
  demo?: boolean;
  idle?: boolean;
  recovery?: ScreenModel['recovery'];
  /** The store's club as the screen shows it; by default none, but on the club's own screens. */
  club?: ScreenModel['club'];
  /** The fault on `out-of-order`; {@link OUT_OF_ORDER} by default. */
  outOfOrder?: OutOfOrder | null;
  /** The Salgskvittering on `approved` (a kiosk that is a cash register); none by default. */
  sales?: SalesReceipt | null;
  /** On `awaiting-approval`: a one-time payment QR on screen instead of a push to a number. */
  qr?: boolean;
  /** Attended mode: the basket is the store POS's (read-only lines on the payment screens). */
  attended?: boolean;
}

/** A one-time payment QR as the daemon draws it from a target URL of Vipps' length. */
export const PAYMENT_QR = qrPicture('https://qr.vipps.no/p/0fe3c1d2a9b84e6f8a7c5d3b1e9f2a4c6b8d0e1f');

function clubFor(screen: ScreenName, now: number): ScreenModel['club'] {
  if (screen === 'club-offer')
    return { status: 'offered', offerSavings: OFFER_SAVINGS, consent: null, loginLeftOpen: false };
  if (screen === 'club-consent') {
    return {
      status: 'offered',
      offerSavings: OFFER_SAVINGS,
      consent: {
        bindingMessage: BINDING_MESSAGE,
        expiresAt: now + LOGIN_SECONDS_LEFT * 1000,
        notice: null,
        cashierStarted: false,
      },
      loginLeftOpen: false,
    };
  }
  if (screen === 'club-checking')
    return { status: 'unknown', offerSavings: OFFER_SAVINGS, consent: null, loginLeftOpen: false };
  return null;
}

/** A model as the daemon would send it for `screen`, with a realistic basket where the screen has one. */
export function fixture(screen: ScreenName, options: FixtureOptions = {}): ScreenModel {
  const now = options.now ?? Date.now();
  const paymentStarted = ['paying', 'awaiting-approval', 'cancelling', 'capturing', 'approved'].includes(
    screen,
  );
  return {
    screen,
    machineState: MACHINE_STATES[screen],
    language: options.language ?? 'nb',
    theme: options.theme ?? 'standard',
    market: options.market ?? 'NO',
    currency: CURRENCY_OF[options.market ?? 'NO'],
    storeName: 'Nærbutikken Grünerløkka',
    basket: screen === 'attract' ? emptyBasket : basket,
    feedback: null,
    payment: paymentStarted
      ? {
          reference: REFERENCE,
          amount: TOTAL,
          expiresAt: screen === 'awaiting-approval' ? now + PAYMENT_SECONDS_LEFT * 1000 : null,
          customer: options.qr ? null : CUSTOMER,
          ...(options.qr && screen === 'awaiting-approval' ? { qr: PAYMENT_QR } : {}),
        }
      : null,
    receipt:
      screen === 'approved'
        ? {
            receiptNumber: RECEIPT_NUMBER,
            paidAt: now,
            lines: LINES,
            total: TOTAL,
            savings: 0,
            vat: VAT,
            sales: options.sales ?? null,
          }
        : null,
    club: options.club === undefined ? clubFor(screen, now) : options.club,
    declined: screen === 'declined' ? { reason: options.declined ?? 'expired' } : null,
    outOfOrder:
      screen === 'out-of-order'
        ? options.outOfOrder === undefined
          ? OUT_OF_ORDER
          : options.outOfOrder
        : null,
    idleWarning: options.idle ? { endsAt: now + IDLE_SECONDS_LEFT * 1000 } : null,
    recovery: options.recovery ?? null,
    vippsReachable: screen !== 'unavailable',
    device: { region: 'ready', scanner: 'attached' },
    identifying: false,
    leds: { status: 'green', blink: false },
    now,
    ...(options.attended ? { attended: true as const } : {}),
    demo: options.demo ? { leds: { status: 'amber', blink: true } } : null,
    staff:
      screen === 'staff'
        ? {
            employee: { id: 'E7', name: 'Kari Nordmann' },
            page: { name: 'menu' },
            notice: null,
            training: false,
            outOfOrder: false,
            endsAt: now + 120_000,
          }
        : null,
  };
}
