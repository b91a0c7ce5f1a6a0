import type { CashierMessages } from './messages.js';

export const en: CashierMessages = {
  locale: 'en-GB',
  switchTo: 'Norsk',
  title: 'Till',
  connecting: 'Connecting to the till …',
  disconnected: 'Lost the connection to the till. Trying again …',
  scan: {
    label: 'Scan or type a barcode',
    hint: "The customer's personal QR code can be scanned here too.",
    add: 'Add',
  },
  basket: {
    title: 'Basket',
    empty: 'The basket is empty. Scan a ware to start.',
    ware: 'Ware',
    quantity: 'Quantity',
    quantityOf: (name) => `Quantity of ${name}`,
    unitPrice: 'Price',
    vat: 'VAT',
    total: 'Amount',
    memberPrice: 'member price',
    remove: (name) => `Remove ${name}`,
    removeHeader: 'Remove',
    items: (count) => (count === 1 ? '1 item' : `${count} items`),
    toPay: 'To pay',
    vatIncluded: 'Of which VAT',
    savings: 'Member discount',
  },
  customer: {
    title: 'Customer',
    phoneLabel: "Customer's mobile number",
    usePhone: 'Use the number',
    none: 'The customer scans their QR code at the terminal, or scan it here.',
    personalQr: "The customer's personal QR code is scanned.",
    phone: (number) => `The payment goes to ${number}.`,
    clear: 'Remove the customer',
  },
  club: {
    title: 'Customer club',
    request: 'Request membership',
    enrol: 'Enrol in the club',
    abortEnrolment: 'Abort the enrolment',
    code: 'Code on the customer display',
    needsPhone: "Type the customer's mobile number to check membership.",
    state: (club) => {
      switch (club.state) {
        case 'checking':
          return `Checking membership of ${club.phoneNumber} …`;
        case 'member':
          return club.joined
            ? `${club.phoneNumber} joined the club. Member prices apply.`
            : `${club.phoneNumber} is a member. Member prices apply.`;
        case 'not-member':
          return `${club.phoneNumber} is not a member${ENROLMENT_END_EN[club.enrolment ?? 'none']} Enrol them now, or they can join on the customer display when the payment is sent.`;
        case 'enrolling':
          return club.aborting
            ? 'Stopping the enrolment …'
            : club.bindingMessage === null
              ? `Sending a Vipps request to join to ${club.phoneNumber} …`
              : `Waiting for ${club.phoneNumber} to approve joining in the app. Ask the customer to check that the app shows the code on the customer display.`;
      }
    },
  },
  payment: {
    title: 'Payment',
    send: 'Send payment request',
    abort: 'Abort the payment',
    aborting: 'Aborting …',
    next: 'Next sale',
    status: {
      'waiting-for-customer': 'Waiting for the customer to scan their QR code at the terminal.',
      requesting: 'Sending the payment request …',
      'awaiting-approval': 'Waiting for the customer to approve in the app.',
      capturing: 'Approved. Capturing the amount …',
      completed: 'Paid.',
      declined: 'The customer declined the payment.',
      aborted: 'The payment is aborted. Nothing was charged.',
      failed: 'The payment failed. Nothing was charged.',
      unknown: 'The outcome is not known yet. The terminal is checking with Vipps. Do not charge again.',
    },
    declineReason: {
      rejected: 'The customer declined in the app.',
      expired: 'The customer did not answer in time.',
      cancelled: 'The payment was cancelled.',
      'unknown-customer': 'That number or QR code has no Vipps account.',
      'invalid-customer': 'Vipps did not accept the customer. Try another number or QR code.',
      refused: 'Vipps refused the payment.',
    },
    abortTooLate: 'Too late to abort: the customer approved, and the amount is being captured.',
    id: (id) => `Transaction ${id}`,
  },
  notice: (notice) => {
    switch (notice.kind) {
      case 'added':
        return `${notice.name} is added.`;
      case 'not-in-catalog':
        return `${notice.code} is not in the price list.`;
      case 'unknown-code':
        return 'That code is neither a barcode nor a personal QR code.';
      case 'customer-scanned':
        return "The customer's QR code is scanned.";
      case 'bad-phone':
        return 'That is not a mobile number. Type 8 digits, or + and the country code.';
      case 'sale-locked':
        return 'The sale cannot change while the payment is under way.';
      case 'terminal-unreachable':
        return 'No answer from the terminal. Trying again with the same transaction …';
      case 'resumed':
        return 'The till restarted during this payment; here is where it stands at the terminal.';
      case 'not-saved':
        return `The till could not save the payment, so it was not sent and nothing was asked of the customer: ${notice.reason}`;
      case 'terminal':
        return `The terminal answered: ${notice.message}`;
    }
  },
};

/** How the cashier's enrolment ended, said before what the cashier can do next. */
const ENROLMENT_END_EN = {
  none: ' yet.',
  declined: ': the customer declined joining in the app.',
  timeout: ': the customer did not answer in time.',
  unavailable: ': the club or Vipps cannot be reached now. Price without the club.',
  'approval-lost': ': the approval was lost on its way. Try again.',
  aborted: ': the enrolment was stopped. A request left in the app can be declined there.',
} as const;
