import type { ScanFeedback, ScreenModel } from '../../contracts/screen-model.js';
import type { Sound, SpeechPort } from './speech-port.js';

/** How long before the approval window closes the warning sounds (the screen's countdown shows it too). */
export const APPROVAL_WARNING_MS = 30_000;

/** The clock the checkout runs on (XState's SimulatedClock in tests), so the warning keeps its time. */
export interface CueClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

const FEEDBACK_SOUNDS: Readonly<Record<ScanFeedback['kind'], Sound>> = {
  added: 'good-scan',
  customer: 'good-scan',
  'unknown-item': 'not-recognised',
  'not-recognised': 'not-recognised',
  'scanner-layout': 'not-recognised',
  'basket-full': 'not-recognised',
  ignored: 'not-recognised',
  'scan-incomplete': 'not-recognised',
  'out-of-order': 'not-recognised',
  'staff-card-refused': 'not-recognised',
};

/**
 * The sounds every customer hears, in every mode, beside what the screen shows (sound and sight): each
 * scan, the outcome of a payment, and a warning before a time limit runs out (the idle warning, and the
 * approval window's last half minute).
 */
export class SoundCues {
  private last: ScreenModel | null = null;
  private approvalTimer: unknown;
  private approvalFor: string | null = null;

  constructor(
    private readonly speech: SpeechPort,
    private readonly clock: CueClock,
  ) {}

  /** Called with every model the checkout makes. */
  see(model: ScreenModel): void {
    const before = this.last;
    this.last = model;
    this.watchApproval(model);
    const sound = soundFor(before, model);
    if (sound) void this.speech.play(sound).catch(() => {});
  }

  stop(): void {
    this.clock.clearTimeout(this.approvalTimer);
  }

  private watchApproval(model: ScreenModel): void {
    const waiting = model.screen === 'awaiting-approval' && model.payment?.expiresAt ? model.payment : null;
    const key = waiting ? `${waiting.reference}@${waiting.expiresAt}` : null;
    if (key === this.approvalFor) return;
    this.clock.clearTimeout(this.approvalTimer);
    this.approvalFor = key;
    if (!waiting?.expiresAt) return;
    const wait = waiting.expiresAt - APPROVAL_WARNING_MS - model.now;
    if (wait <= 0) return;
    this.approvalTimer = this.clock.setTimeout(() => {
      if (this.last?.screen === 'awaiting-approval') void this.speech.play('warning').catch(() => {});
    }, wait);
  }
}

function soundFor(before: ScreenModel | null, now: ScreenModel): Sound | null {
  if (now.screen !== before?.screen) {
    if (now.screen === 'approved') return 'approved';
    if (now.screen === 'declined') return 'declined';
  }
  if (now.idleWarning && !before?.idleWarning) return 'warning';
  if (now.feedback && now.feedback.seq !== before?.feedback?.seq) return FEEDBACK_SOUNDS[now.feedback.kind];
  return null;
}
