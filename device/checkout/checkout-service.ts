import { type Actor, type ActorOptions, createActor } from 'xstate';
import type { Logger } from '../../common/log/logger.js';
import { intentSchema } from '../../contracts/intent-schema.js';
import type { DeviceStatus, LedStates, ScanFeedback, ScreenModel } from '../../contracts/screen-model.js';
import type { PaymentEventName } from '../../contracts/vipps-types.js';
import type { CheckoutEnv, checkoutMachine } from './machine.js';
import { screenModel, screenOf } from './screen-projection.js';

type Clock = NonNullable<ActorOptions<typeof checkoutMachine>['clock']>;

export interface CheckoutServiceOptions {
  demo: boolean;
  logger: Logger;
  clock?: Clock;
  /** What crash recovery has resolved, for the screen; absent where there is no journal. */
  recovery?: () => ScreenModel['recovery'];
  /** The kiosk's hardware state (scanner attached or not); absent where there is no hardware. */
  device?: () => DeviceStatus;
  /** The status LEDs: they follow every model made; in the demo, the overlay draws what they show. */
  statusLights?: { apply(model: ScreenModel): void; shown(): LedStates };
}

export type IntentOutcome = { accepted: true } | { accepted: false; reason: string };

/**
 * The running checkout: one actor, its screen model, and the door intents come in by. The screen,
 * the LEDs and telemetry all read `model()` or subscribe; none of them holds state of its own.
 */
export class CheckoutService {
  private actor: Actor<typeof checkoutMachine> | undefined;
  private readonly listeners = new Set<(model: ScreenModel) => void>();
  private identifyingUntil = 0;
  private scansRead = 0;
  /** A scan the scanner had to drop, shown until the machine has feedback of its own to show. */
  private dropped: { feedback: ScanFeedback; overSeq: number | undefined } | null = null;
  private readonly machine: typeof checkoutMachine;
  private readonly env: CheckoutEnv;
  private readonly options: CheckoutServiceOptions;

  constructor(machine: typeof checkoutMachine, env: CheckoutEnv, options: CheckoutServiceOptions) {
    this.machine = machine;
    this.env = env;
    this.options = options;
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
          this.options.logger.info('screen', { screen, reference: snapshot.context.reference ?? undefined });
          lastScreen = screen;
        }
        this.publish(snapshot);
      },
      error: (error) =>
        this.options.logger.error('checkout machine stopped on an error', { error: String(error) }),
    });
    actor.start();
    this.actor = actor;
  }

  stop(): void {
    this.actor?.stop();
    this.actor = undefined;
  }

  model(): ScreenModel {
    return this.project(this.running().getSnapshot());
  }

  /** HQ's maintenance switch: out of order once no customer is using the kiosk, or back in service. */
  maintenance(on: boolean): void {
    this.running().send({ type: 'maintenance', on });
  }

  /** Blinks the status LED for `seconds`, so a tech in the store finds the kiosk HQ means. */
  identify(seconds: number): void {
    this.identifyingUntil = this.env.now() + seconds * 1000;
    this.refresh();
    setTimeout(() => this.refresh(), seconds * 1000).unref();
  }

  /** Sends the model again after something outside the machine that it shows has changed. */
  refresh(): void {
    if (this.actor) this.publish(this.actor.getSnapshot());
  }

  private publish(snapshot: ReturnType<Actor<typeof checkoutMachine>['getSnapshot']>): void {
    const model = this.project(snapshot);
    for (const listener of this.listeners) listener(model);
  }

  private project(snapshot: ReturnType<Actor<typeof checkoutMachine>['getSnapshot']>): ScreenModel {
    const model = screenModel(snapshot, {
      demo: this.options.demo,
      recovery: this.options.recovery?.() ?? null,
      identifying: this.env.now() < this.identifyingUntil,
      device: this.options.device?.(),
    });
    if (this.dropped && this.dropped.overSeq === snapshot.context.feedback?.seq)
      model.feedback = this.dropped.feedback;
    const lights = this.options.statusLights;
    lights?.apply(model);
    if (lights && model.demo) model.demo = { leds: lights.shown() };
    return model;
  }

  /** Dotted machine state, for health checks and logs. */
  snapshot() {
    return this.running().getSnapshot();
  }

  subscribe(listener: (model: ScreenModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates an intent from the screen (or a demo scan) and hands it to the machine. */
  dispatch(raw: unknown): IntentOutcome {
    const parsed = intentSchema.safeParse(raw);
    if (!parsed.success) return { accepted: false, reason: 'not a known intent' };
    if (parsed.data.type === 'scan' && !this.options.demo) {
      return { accepted: false, reason: 'scans come from the scanner, not the screen, outside demo mode' };
    }
    if (parsed.data.type === 'scan') this.scansRead++;
    this.running().send(parsed.data);
    return { accepted: true };
  }

  /** A scan from the scanner hardware (or the demo's simulated one). */
  scan(text: string): void {
    this.scansRead++;
    this.running().send({ type: 'scan', text });
  }

  /**
   * The scanner dropped a read (unplugged mid-code, garbled, too long): the customer is asked to scan
   * again. Nothing reaches the machine; its feedback numbers count up, these count down, so they never meet.
   */
  scanDropped(): void {
    const seq = (this.dropped?.feedback.seq ?? 0) - 1;
    this.dropped = {
      feedback: { seq, kind: 'scan-incomplete' },
      overSeq: this.actor?.getSnapshot().context.feedback?.seq,
    };
    this.refresh();
  }

  /** Scans read since the start, for health. */
  scans(): number {
    return this.scansRead;
  }

  /** A payment event relayed from a Vipps webhook: a reason to look now, not a decision. */
  paymentEvent(reference: string, name: PaymentEventName): void {
    this.running().send({ type: 'vipps.event', reference, name });
  }

  private running(): Actor<typeof checkoutMachine> {
    if (!this.actor) throw new Error('checkout service used before start()');
    return this.actor;
  }
}
