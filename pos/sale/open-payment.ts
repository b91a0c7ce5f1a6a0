import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { removeDurably, writeDurably } from '../../common/durable-file.js';
import { type PaymentRequest, paymentRequestShape } from '../../contracts/terminal-api.js';
import type { BasketItem } from './basket.js';
import type { ClubView } from './register-model.js';

// What a till must not forget when it crashes: the payment it asked the terminal for. Written before the
// request leaves, cleared once the terminal says the payment is final; a till that starts and finds one
// asks the terminal by that id (never a new one), so the customer is never asked for the money twice.

/** Who pays, as the cashier gave it: the personal QR is kept whole, since Vipps decides what it names. */
export type SaleCustomer = { kind: 'personal-qr'; text: string } | { kind: 'phone'; phoneNumber: string };

/** The payment under way and the sale it is for, so a restarted till shows the basket it was for. */
export interface OpenPayment {
  readonly request: PaymentRequest;
  readonly items: readonly BasketItem[];
  readonly customer: SaleCustomer | null;
  readonly club: ClubView | null;
}

/** Where the till keeps its open payment, and how it is read, written and cleared. */
export interface OpenPaymentStore {
  read(): Promise<OpenPayment | undefined>;
  write(open: OpenPayment): Promise<void>;
  /** Clears the open payment, if it is still the one with this id. */
  clear(posTransactionId: string): Promise<void>;
}

export const OPEN_PAYMENT_FILE = 'open-payment.json';

const openPaymentShape = z.strictObject({
  request: paymentRequestShape,
  items: z.array(
    z.strictObject({
      product: z.strictObject({
        gtin: z.string(),
        name: z.string(),
        unitPrice: z.int(),
        memberPrice: z.int().optional(),
        vatRate: z.int(),
      }),
      quantity: z.int().positive(),
    }),
  ),
  customer: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('personal-qr'), text: z.string() }),
      z.strictObject({ kind: z.literal('phone'), phoneNumber: z.string() }),
    ])
    .nullable(),
  club: z
    .strictObject({
      state: z.enum(['checking', 'member', 'not-member']),
      phoneNumber: z.string(),
    })
    .nullable(),
});

/** The open payment file is there but cannot be read as one: the till must not guess and start afresh. */
export class OpenPaymentFileError extends Error {
  override readonly name = 'OpenPaymentFileError';
  constructor(path: string, reason: string) {
    super(
      `the till's open payment in ${path} cannot be read (${reason}). A payment may be running at the ` +
        'terminal: look it up there before selling again, then move the file away',
    );
  }
}

/**
 * The open payment as `<stateDir>/open-payment.json`, written durably (writeDurably: a SIGKILL or a power
 * cut leaves the old file or the new, whole). Writes and clears run one after another in the order they
 * were asked, so a late clear of the last sale's payment cannot remove the next one's.
 */
export class OpenPaymentFile implements OpenPaymentStore {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.path = join(stateDir, OPEN_PAYMENT_FILE);
  }

  async read(): Promise<OpenPayment | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new OpenPaymentFileError(this.path, (error as Error).message);
    }
    let parsed: ReturnType<typeof openPaymentShape.safeParse>;
    try {
      parsed = openPaymentShape.safeParse(JSON.parse(text));
    } catch {
      throw new OpenPaymentFileError(this.path, 'not JSON');
    }
    if (!parsed.success) throw new OpenPaymentFileError(this.path, z.prettifyError(parsed.error));
    return parsed.data as OpenPayment;
  }

  write(open: OpenPayment): Promise<void> {
    return this.inTurn(async () => writeDurably(this.path, `${JSON.stringify(open)}\n`));
  }

  clear(posTransactionId: string): Promise<void> {
    return this.inTurn(async () => {
      const open = await this.read().catch(() => undefined);
      if (open?.request.posTransactionId === posTransactionId) removeDurably(this.path);
    });
  }

  private inTurn(step: () => Promise<void>): Promise<void> {
    const done = this.queue.then(step);
    this.queue = done.catch(() => undefined);
    return done;
  }
}
