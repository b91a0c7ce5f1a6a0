import type {
  Amount,
  CreatePaymentRequest,
  CreatePaymentResponse,
  GetPaymentResponse,
  ModificationResponse,
} from '../../contracts/vipps-types.js';
import type { Payments } from '../checkout/ports.js';
import type { CashRegister } from './cash-register.js';
import type { CashRegisterStore } from './journal-store.js';

// Training mode (kassasystemforskrifta: training receipts clearly marked, never counted as sales, the mode
// switched on and off in the journal, 13023/13024). Its state is the journal's own last on/off row, so it
// survives a restart with nothing else to keep in step.

export class TrainingMode {
  private on: boolean;
  private readonly listeners = new Set<(on: boolean) => void>();

  constructor(private readonly parts: { store: CashRegisterStore; register: CashRegister }) {
    const lastOn = parts.store.lastOfKind('training.on')?.nr ?? 0;
    const lastOff = parts.store.lastOfKind('training.off')?.nr ?? 0;
    this.on = lastOn > lastOff;
  }

  isOn(): boolean {
    return this.on;
  }

  /** Journals the switch with who made it; switching to the mode it is already in journals nothing. */
  set(on: boolean, employeeId: string): void {
    if (on === this.on) return;
    this.parts.register.staffEvent(on ? 'training.on' : 'training.off', { employeeId });
    this.on = on;
    for (const listener of this.listeners) listener(on);
  }

  onChange(listener: (on: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The checkout's payments with training mode's route beside them: a payment created while training is on
 * goes to the sandbox, and so does every later call under its reference (a capture after training was
 * switched off must not reach Vipps either); every other call goes to `real`. Put outside the payment
 * journal (device/main.ts), so a training payment is never journaled; recovery follows only journaled
 * payments, so it never takes one to Vipps, not even a reference the checkout let go of.
 */
export class TrainingRoute implements Payments {
  private readonly references = new Set<string>();

  constructor(
    private readonly real: Payments,
    private readonly mode: { isOn(): boolean },
    private readonly sandbox: () => Promise<Payments>,
  ) {}

  /** A payment made in training mode: its sale is a training sale. */
  isTraining(reference: string): boolean {
    return this.references.has(reference);
  }

  async createPayment(request: CreatePaymentRequest, idempotencyKey: string): Promise<CreatePaymentResponse> {
    if (!this.mode.isOn() && !this.references.has(request.reference)) {
      return this.real.createPayment(request, idempotencyKey);
    }
    this.references.add(request.reference);
    return (await this.sandbox()).createPayment(request, idempotencyKey);
  }

  async getPayment(reference: string): Promise<GetPaymentResponse> {
    return (await this.routeOf(reference)).getPayment(reference);
  }

  async capture(reference: string, amount: Amount, idempotencyKey: string): Promise<ModificationResponse> {
    return (await this.routeOf(reference)).capture(reference, amount, idempotencyKey);
  }

  async cancel(
    reference: string,
    options: { cancelTransactionOnly: boolean },
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    return (await this.routeOf(reference)).cancel(reference, options, idempotencyKey);
  }

  private routeOf(reference: string): Promise<Payments> {
    return this.references.has(reference) ? this.sandbox() : Promise.resolve(this.real);
  }
}
