import type { TransactionDeclineReason, TransactionStatus } from '../../../contracts/terminal-api.js';
import type { ClubView, Notice } from '../../sale/register-model.js';

/** Everything the cashier page says; a key missing from a language is a type error. */
export interface CashierMessages {
  /** BCP 47 locale for amounts and percentages. */
  locale: string;
  /** The other language's name, on the button that switches to it. */
  switchTo: string;
  title: string;
  connecting: string;
  disconnected: string;
  scan: { label: string; hint: string; add: string };
  basket: {
    title: string;
    empty: string;
    ware: string;
    quantity: string;
    quantityOf: (name: string) => string;
    unitPrice: string;
    vat: string;
    total: string;
    memberPrice: string;
    remove: (name: string) => string;
    removeHeader: string;
    items: (count: number) => string;
    toPay: string;
    vatIncluded: string;
    savings: string;
  };
  customer: {
    title: string;
    phoneLabel: string;
    usePhone: string;
    none: string;
    personalQr: string;
    phone: (number: string) => string;
    clear: string;
  };
  club: {
    title: string;
    request: string;
    needsPhone: string;
    /** The seed's button: the Vipps Login push to join, for a customer who is not a member. */
    enrol: string;
    abortEnrolment: string;
    /** Beside the code on the cashier's screen: the customer compares it with their app. */
    code: string;
    state: (club: ClubView) => string;
  };
  payment: {
    title: string;
    send: string;
    abort: string;
    aborting: string;
    next: string;
    status: Record<TransactionStatus, string>;
    declineReason: Record<TransactionDeclineReason, string>;
    abortTooLate: string;
    id: (id: string) => string;
  };
  notice: (notice: Notice) => string;
}
