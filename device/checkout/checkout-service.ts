import { type Actor, type ActorOptions, createActor } from 'xstate';
import type { Logger } from '../../common/log/logger.js';
import { intentSchema } from '../../contracts/intent-schema.js';
import type {
  DeviceStatus,
  LedStates,
  OutOfOrder,
  ScanFeedback,
  ScreenModel,
  StaffAction,
  StaffCardRefusal,
  StaffModel,
} from '../../contracts/screen-model.js';
import type { PaymentEventName } from '../../contracts/vipps-types.js';
import type { LedMeaning } from '../hardware/led-table.js';
import type { CheckoutEnv, CheckoutEvent } from './checkout-types.js';
import type { CheckoutDomainEvent } from './domain-events.js';
import type { checkoutMachine } from './machine.js';
import { clockNow } from './machine-clock.js';
import { PhoneEntryLimit, type PhoneEntryPolicy } from './phone-entry-limit.js';
import {
  type CheckoutSnapshot,
  deviceOr,
  ledMeaningOf,
  type Surroundings,
  screenModel,
  screenOf,
} from './screen-projection.js';

type Clock = NonNullable<ActorOptions<typeof checkoutMachine>['clock']>;

export interface CheckoutServiceOptions {
  demo: boolean;
  logger: Logger;
  clock?: Clock;
  /** What crash recovery has resolved, for the screen; absent where there is no journal. */
  recovery?: () => ScreenModel['recovery'];
  /** Training mode (device/cash-register/training.ts): whether it is on, for the banner and the receipt. */
  training?: () => boolean;
  /** The kiosk's hardware state (scanner attached or not), as its adapter reports it. */
  device?: () => DeviceStatus;
  /** The status LEDs: they follow every model made; in the demo, the overlay draws what they show. */
  statusLights?: { show(meaning: LedMeaning, feedback: ScanFeedback | null): void; shown(): LedStates };
  /** How often the keypad takes a phone number; PHONE_ENTRY_POLICY when absent. */
  phoneEntry?: PhoneEntryPolicy;
}

export type IntentOutcome =
  | { accepted: true }
  /** `retryAfterMs`: the keypad is paused (PhoneEntryLimit); the screen asks the customer to wait. */
  | { accepted: false; reason: string; retryAfterMs?: number };

/**
 * Attended mode: the POS owns the basket and the payment's start and end, so the screen's own ways to
 * change, start or leave a basket are not the customer's to use (the cashier aborts at the POS).
 */
const POS_OWNED_INTENTS: ReadonlySet<string> = new Set([
  'pay',
  'back',
  'set-quantity',
  'remove-line',
  'start-over',
  'try-again',
]);

/** The reason of a phone number refused while the keypad is paused: the screen says so calmly. */
export const PHONE_ENTRY_PAUSED = 'phone-entry-paused';

export type DomainEventListener = (event: CheckoutDomainEvent) => void;

/** Staff mode as the checkout sees it (device/staff/staff-mode.ts). */
export interface StaffPanel {
  /** First look at every scan: true when it was staff mode's (a staff card, or anything while open). */
  scan(text: string): boolean;
  act(action: StaffAction): { accepted: true } | { accepted: false; reason: string };
  /** Its page on the `staff` screen; null while closed. */
  view(): StaffModel | null;
}

/**
 * The running checkout: one actor, its screen model, its domain events, and the door intents come in
 * by. The screen, the LEDs and telemetry read `model()` or subscribe; none of them holds state of its
 * own, and neither does this service beyond the count of scans read.
 */
export class CheckoutService {
  private actor: Actor<typeof checkoutMachine> | undefined;
  private readonly listeners = new Set<(model: ScreenModel) => void>();
  private readonly domainListeners = new Set<DomainEventListener>();
  private scansRead = 0;
  private staff: StaffPanel | undefined;
  private readonly phoneEntries: PhoneEntryLimit;
  private readonly machine: typeof checkoutMachine;
  private readonly env: CheckoutEnv;
  private readonly options: CheckoutServiceOptions;

  constructor(machine: typeof checkoutMachine, env: CheckoutEnv, options: CheckoutServiceOptions) {
    this.machine = machine;
    this.env = env;
    this.options = options;
    this.phoneEntries = new PhoneEntryLimit(options.phoneEntry);
  }

  start(): void {
    // XState takes an explicit `clock: undefined` as "no clock": pass the option only when there is one.
    const { clock } = this.options;
    const actor = createActor(this.machine, clock ? { input: this.env, clock } : { input: this.env });
    let lastScreen = '';
    actor.subscribe({
      next: (snapshot) => {
        const screen = screenOf(snapshot);
        if (screen !== lastScreen) {
          this.options.logger.info('screen', { screen, reference: snapshot.context.payment?.reference });
          lastScreen = screen;
        }
        this.publish(snapshot);
      },
      error: (error) =>
        this.options.logger.error('checkout machine stopped on an error', { error: String(error) }),
    });
    actor.on('*', (event) => {
      for (const listener of this.domainListeners) listener(event);
    });
    this.actor = actor;
    actor.start();
  }

  stop(): void {
    this.actor?.stop();
    this.actor = undefined;
  }

  /** The screen model as of now: a pure projection, so asking does not drive the LEDs. */
  model(): ScreenModel {
    const snapshot = this.running().getSnapshot();
    const around = this.surroundings();
    return screenModel(snapshot, around, ledMeaningOf(snapshot, around.device), this.shownLeds());
  }

  /** HQ's maintenance switch: out of order once no customer is using the kiosk, or back in service. */
  maintenance(on: boolean): void {
    this.running().send({ type: 'maintenance', on });
  }

  /**
   * The receipt printer cannot print where the law wants it to (`fault`), or prints again (null): out of
   * order once no customer is using the kiosk, back in order when it is over.
   */
  printerFault(fault: OutOfOrder | null): void {
    this.running().send({ type: 'printer', fault });
  }

  /** Pulses the status LED for `seconds`, so a tech in the store finds the kiosk HQ means. */
  identify(seconds: number): void {
    this.running().send({ type: 'identify', seconds });
  }

  /** Staff mode: it sees scans first, takes the `staff` intents, and its page goes into the model. */
  attachStaff(panel: StaffPanel): void {
    this.staff = panel;
  }

  /** Staff mode takes the screen (false where a customer is paying) or gives it back. */
  staffScreen(open: boolean): boolean {
    const actor = this.running();
    const event = { type: open ? 'staff.open' : 'staff.close' } as const;
    if (!actor.getSnapshot().can(event)) return false;
    actor.send(event);
    return true;
  }

  /** A staff card that opened nothing: the customer screen says why. */
  refuseStaffCard(reason: StaffCardRefusal): void {
    this.running().send({ type: 'staff.refused', reason });
  }

  /** Whether the kiosk is switched out of order (HQ's or staff's maintenance switch). */
  maintenanceWanted(): boolean {
    return this.running().getSnapshot().context.maintenance;
  }

  /** Sends the model again after something outside the machine that it shows has changed. */
  refresh(): void {
    if (this.actor) this.publish(this.actor.getSnapshot());
  }

  /** The machine's snapshot: its status for health checks, its state for logs. */
  snapshot(): CheckoutSnapshot {
    return this.running().getSnapshot();
  }

  subscribe(listener: (model: ScreenModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The facts the checkout emits (a sale, a decline, a payment let go, …), as they happen. */
  onDomainEvent(listener: DomainEventListener): () => void {
    this.domainListeners.add(listener);
    return () => this.domainListeners.delete(listener);
  }

  /** Validates an intent from the screen (or a demo scan) and hands it to the machine. */
  dispatch(raw: unknown): IntentOutcome {
    const parsed = intentSchema.safeParse(raw);
    if (!parsed.success) return { accepted: false, reason: 'not a known intent' };
    if (parsed.data.type === 'scan' && !this.options.demo) {
      return { accepted: false, reason: 'scans come from the scanner, not the screen, outside demo mode' };
    }
    if (parsed.data.type === 'scan') this.scansRead++;
    if (parsed.data.type === 'scan' && this.staff?.scan(parsed.data.text)) return { accepted: true };
    if (parsed.data.type === 'staff') {
      return this.staff
        ? this.staff.act(parsed.data.action)
        : { accepted: false, reason: 'no staff mode here' };
    }
    if (this.env.attended && POS_OWNED_INTENTS.has(parsed.data.type)) {
      return { accepted: false, reason: "the cashier's POS runs this payment" };
    }
    const actor = this.running();
    // Only a number the machine would take counts: one typed on another screen changes nothing.
    if (parsed.data.type === 'pay-phone' && actor.getSnapshot().can(parsed.data)) {
      const retryAfterMs = this.phoneEntries.take(clockNow(actor.system));
      if (retryAfterMs > 0) {
        this.options.logger.warn('phone number entry paused: too many numbers in a row', {
          retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
        });
        return { accepted: false, reason: PHONE_ENTRY_PAUSED, retryAfterMs };
      }
    }
    actor.send(parsed.data);
    return { accepted: true };
  }

  /**
   * Attended mode: the POS's payment onto the customer display (device/terminal/); false where the kiosk
   * cannot take it (see readyForPosPayment).
   */
  posPayment(payment: Omit<Extract<CheckoutEvent, { type: 'pos.payment' }>, 'type'>): boolean {
    const actor = this.running();
    const event = { type: 'pos.payment', ...payment } as const;
    if (!actor.getSnapshot().can(event)) return false;
    actor.send(event);
    return true;
  }

  /**
   * Whether a POS payment can be taken now; the receipt of the last one (still on the customer display)
   * gives way first. False out of order, in maintenance, in staff mode.
   */
  readyForPosPayment(): boolean {
    const actor = this.running();
    if (actor.getSnapshot().matches({ session: { flow: 'approved' } })) actor.send({ type: 'done' });
    return actor.getSnapshot().matches('attract');
  }

  /**
   * Attended mode: the cashier's club enrolment for `msisdn` onto the customer display (the club consent);
   * false where the kiosk cannot take it now (not at attract, or no club). Its end is the `club.enrolment`
   * domain event.
   */
  posEnrolment(msisdn: string): boolean {
    const actor = this.running();
    const event = { type: 'pos.enrol', msisdn } as const;
    if (!actor.getSnapshot().can(event)) return false;
    actor.send(event);
    return true;
  }

  /** Attended mode: the POS stops waiting for its enrolment (once approved in the app, it completes). */
  abortPosEnrolment(): void {
    this.running().send({ type: 'pos.enrol.abort' });
  }

  /** Attended mode: the POS's payment ended without a sale (or the POS aborts it): back to attract. */
  endPosPayment(): void {
    this.running().send({ type: 'start-over' });
  }

  /** Attended mode: the POS aborts while the request is on the customer's phone (the machine's cancel). */
  cancelPosPayment(): void {
    this.running().send({ type: 'cancel' });
  }

  /** A scan from the scanner hardware (or the demo's simulated one). */
  scan(text: string): void {
    this.scansRead++;
    if (this.staff?.scan(text)) return;
    this.running().send({ type: 'scan', text });
  }

  /** The scanner dropped a read (unplugged mid-code, garbled, too long): the customer is asked to scan again. */
  scanDropped(): void {
    this.running().send({ type: 'scan.dropped' });
  }

  /** Scans read since the start, for health. */
  scans(): number {
    return this.scansRead;
  }

  /** A payment event relayed from a Vipps webhook: a reason to look now, not a decision. */
  paymentEvent(reference: string, name: PaymentEventName): void {
    this.running().send({ type: 'vipps.event', reference, name });
  }

  // Each snapshot is projected once: the LED meaning drives the lights, then the model is made.
  private publish(snapshot: CheckoutSnapshot): void {
    const around = this.surroundings();
    const meaning = ledMeaningOf(snapshot, around.device);
    this.options.statusLights?.show(meaning, snapshot.context.feedback);
    const model = screenModel(snapshot, around, meaning, this.shownLeds());
    for (const listener of this.listeners) listener(model);
  }

  private surroundings(): Surroundings {
    return {
      demo: this.options.demo,
      recovery: this.options.recovery?.() ?? null,
      device: deviceOr(this.options.device?.()),
      now: clockNow(this.running().system),
      training: this.options.training?.() ?? false,
      staff: this.staff?.view() ?? null,
    };
  }

  private shownLeds(): LedStates | undefined {
    return this.options.statusLights?.shown();
  }

  private running(): Actor<typeof checkoutMachine> {
    if (!this.actor) throw new Error('checkout service used before start()');
    return this.actor;
  }
}
