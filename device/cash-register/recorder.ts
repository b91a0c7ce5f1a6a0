import type { Logger } from '../../common/log/logger.js';
import type { Product } from '../checkout/domain/product.js';
import type { CheckoutDomainEvent, SaleCompleted } from '../checkout/domain-events.js';
import type { CashRegister } from './cash-register.js';
import type { CashRegisterStore } from './journal-store.js';

export interface RecorderParts {
  register: CashRegister;
  store: CashRegisterStore;
  checkout: { onDomainEvent(listener: (event: CheckoutDomainEvent) => void): () => void };
  catalog: {
    all(): readonly Product[];
    onReload(listener: (products: readonly Product[]) => void): () => void;
  };
  softwareVersion: string;
  logger: Logger;
  /** A write failed (the message says why), or, with null, the journal is written again. */
  onFault(message: string | null): void;
}

/**
 * Feeds the cash-register journal from the checkout's domain events and the catalog's reloads (never from
 * the screen), in the order they happen.
 *
 * Why a sale is never lost when a write fails (a full disk): `sale.completed` is emitted only after the
 * payment journal holds the capture and the receipt lines, so the sale is on disk there first. Here the
 * rows that could not be written wait in order, in memory, and are written before anything newer as soon
 * as a write succeeds again (the next event, or stop); meanwhile staff and HQ see a critical alert.
 * A crash in that window leaves the sale in the payment journal only, which the alert has pointed to.
 */
export class CashRegisterRecorder {
  readonly name = 'cash-register journal';
  private readonly waiting: Array<() => void> = [];
  private readonly unsubscribe: Array<() => void> = [];
  private faulty = false;

  constructor(private readonly parts: RecorderParts) {}

  start(): void {
    const { register, checkout, catalog, softwareVersion } = this.parts;
    register.started(catalog.all(), softwareVersion);
    this.unsubscribe.push(
      checkout.onDomainEvent((event) => {
        if (event.type === 'sale.completed') this.sale(event);
      }),
      catalog.onReload((products) => this.record(() => register.prices(products))),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    this.record(() => this.parts.register.stopped());
    this.parts.store.close();
  }

  /** Rows still waiting for the disk (0 when all is written). */
  get backlog(): number {
    return this.waiting.length;
  }

  /** The signed sale and its receipt are two rows: a retry after a failure never writes the sale twice. */
  private sale(event: SaleCompleted): void {
    const { register } = this.parts;
    let transNr: number | null = null;
    this.record(
      () => {
        transNr = register.sale(event).transNr;
      },
      () => register.receiptShown(transNr, event.receiptNumber),
    );
  }

  private record(...writes: Array<() => void>): void {
    this.waiting.push(...writes);
    while (this.waiting.length > 0) {
      try {
        this.waiting[0]!();
      } catch (error) {
        // Whatever went wrong stays here: thrown into the checkout's event it would stop the till.
        const message = error instanceof Error ? error.message : String(error);
        this.parts.logger.error(message, { waiting: String(this.waiting.length) });
        this.faulty = true;
        this.parts.onFault(
          `The cash-register journal cannot be written (${message}); ${this.waiting.length} event(s) wait ` +
            'in memory and the payment journal holds the sales. Free disk space now.',
        );
        return;
      }
      this.waiting.shift();
    }
    if (this.faulty) {
      this.faulty = false;
      this.parts.onFault(null);
    }
  }
}
