import type { TransactionStatus } from '../../contracts/terminal-api.js';
import { addItem, type BasketItem, type PosProduct, priceBasket } from '../../pos/sale/basket.js';
import type { ClubView, Notice, RegisterAction, RegisterModel } from '../../pos/sale/register-model.js';
import type { RegisterPort } from '../../pos/server/pos-server.js';

// Models of the cashier page's every state, for the tests that look at the page itself (accessibility,
// keyboard, layout): the real page and its real server, shown a model by the test instead of a sale.

export const MILK: PosProduct = { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490, vatRate: 1500 };
export const COFFEE: PosProduct = {
  gtin: '2000000000039',
  name: 'Kaffe 250 g',
  unitPrice: 6990,
  memberPrice: 5990,
  vatRate: 1500,
};

const ITEMS: readonly BasketItem[] = [MILK, MILK, COFFEE].reduce<readonly BasketItem[]>(addItem, []);

export function registerModel(overrides: Partial<RegisterModel> = {}): RegisterModel {
  return {
    currency: 'NOK',
    basket: priceBasket(ITEMS, overrides.club?.state === 'member'),
    customer: null,
    club: null,
    payment: null,
    notice: null,
    locked: false,
    ...overrides,
  };
}

const FINAL: readonly TransactionStatus[] = ['completed', 'declined', 'aborted', 'failed'];

/** One model per thing the page can say: every payment status, club state and notice. */
export function everyState(): Array<[string, RegisterModel]> {
  const phone = '+4791234567';
  const statuses: TransactionStatus[] = [
    'requesting',
    'waiting-for-customer',
    'awaiting-approval',
    'capturing',
    'completed',
    'declined',
    'aborted',
    'failed',
    'unknown',
  ];
  const clubs: ClubView[] = [
    { state: 'checking', phoneNumber: phone },
    { state: 'not-member', phoneNumber: phone },
    { state: 'member', phoneNumber: phone },
    { state: 'member', phoneNumber: phone, joined: true },
    { state: 'enrolling', phoneNumber: phone, bindingMessage: null, aborting: false },
    { state: 'enrolling', phoneNumber: phone, bindingMessage: 'K7Q-2MX', aborting: false },
    { state: 'enrolling', phoneNumber: phone, bindingMessage: 'K7Q-2MX', aborting: true },
    ...(['declined', 'timeout', 'unavailable', 'approval-lost', 'aborted'] as const).map(
      (enrolment): ClubView => ({ state: 'not-member', phoneNumber: phone, enrolment }),
    ),
  ];
  const notices: Notice[] = [
    { kind: 'added', name: 'Melk 1 l' },
    { kind: 'not-in-catalog', code: '2000000000992' },
    { kind: 'unknown-code' },
    { kind: 'customer-scanned' },
    { kind: 'bad-phone' },
    { kind: 'sale-locked' },
    { kind: 'terminal-unreachable' },
    { kind: 'resumed' },
    { kind: 'not-saved', reason: 'ENOSPC: no space left on device' },
    { kind: 'terminal', message: 'Another payment is in progress' },
  ];
  return [
    ['empty', registerModel({ basket: priceBasket([], false) })],
    ['basket', registerModel()],
    ...statuses.map((status): [string, RegisterModel] => [
      `payment ${status}`,
      registerModel({
        customer: { kind: 'personal-qr' },
        locked: status !== 'declined' && status !== 'aborted' && status !== 'failed',
        payment: {
          id: '01KC0000000000000000000000',
          status,
          amount: 11970,
          final: FINAL.includes(status),
          aborting: false,
          ...(status === 'declined' ? { declineReason: 'rejected' as const } : {}),
        },
      }),
    ]),
    [
      'abort too late',
      registerModel({
        locked: true,
        payment: {
          id: '01KC1',
          status: 'capturing',
          amount: 11970,
          final: false,
          aborting: false,
          abortTooLate: true,
        },
      }),
    ],
    ...clubs.map((club): [string, RegisterModel] => [
      `club ${[club.state, ...Object.entries(club).flatMap(([key, value]) => (key === 'state' || key === 'phoneNumber' ? [] : [`${key}=${value}`]))].join(' ')}`,
      registerModel({ customer: { kind: 'phone', phoneNumber: phone }, club }),
    ]),
    ...notices.map((notice): [string, RegisterModel] => [`notice ${notice.kind}`, registerModel({ notice })]),
  ];
}

/** Stands in for the register behind the real server: shows what the test says, records what the page asks. */
export class ShownRegister implements RegisterPort {
  readonly actions: RegisterAction[] = [];
  private current = registerModel();
  private readonly listeners = new Set<(model: RegisterModel) => void>();

  show(model: RegisterModel): void {
    this.current = model;
    for (const listener of this.listeners) listener(model);
  }

  model(): RegisterModel {
    return this.current;
  }

  subscribe(listener: (model: RegisterModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handle(action: RegisterAction): void {
    this.actions.push(action);
  }
}
