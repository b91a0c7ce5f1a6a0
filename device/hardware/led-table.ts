import type { DeviceStatus, LedColour, LedStates, ScreenName } from '../../contracts/screen-model.js';
import type { LedLine, LedPattern } from './led-port.js';

/** What the kiosk's status LED says, in the words staff and the README use. */
export type LedMeaning =
  | 'ready'
  | 'busy'
  | 'waiting-for-approval'
  | 'approved'
  | 'declined'
  | 'error'
  | 'degraded'
  | 'maintenance'
  | 'identify';

export interface LedSignal {
  line: LedLine;
  pattern: LedPattern;
}

/**
 * The one table from kiosk state to the status LED. A blink means the customer should act or look;
 * a pulse (short flash each second) is for staff: HQ's identify, or a kiosk running without a part.
 */
export const LED_TABLE: Readonly<Record<LedMeaning, LedSignal>> = {
  ready: { line: 'green', pattern: 'on' },
  busy: { line: 'blue', pattern: 'on' },
  'waiting-for-approval': { line: 'blue', pattern: 'blink' },
  approved: { line: 'green', pattern: 'blink' },
  declined: { line: 'amber', pattern: 'blink' },
  error: { line: 'red', pattern: 'on' },
  degraded: { line: 'amber', pattern: 'pulse' },
  maintenance: { line: 'amber', pattern: 'on' },
  identify: { line: 'blue', pattern: 'pulse' },
};

/** Which row of the table the kiosk is in. HQ's identify wins over everything, so a tech finds the kiosk. */
export function ledMeaning(state: {
  screen: ScreenName;
  vippsReachable: boolean;
  identifying: boolean;
  device: DeviceStatus;
}): LedMeaning {
  if (state.identifying) return 'identify';
  switch (state.screen) {
    case 'paying':
    case 'club-checking':
    case 'capturing':
    case 'cancelling':
      return 'busy';
    case 'awaiting-approval':
    case 'club-consent':
      return 'waiting-for-approval';
    case 'approved':
      return 'approved';
    case 'declined':
      return 'declined';
    // Red, steady: payments cannot be taken, whether Vipps cannot be reached or refuses the setup.
    case 'unavailable':
    case 'out-of-order':
      return 'error';
    case 'maintenance':
    // Staff mode serves no customer: amber and steady, as out of order, so nobody walks up to pay.
    case 'staff':
      return 'maintenance';
    default:
      return state.vippsReachable && state.device.region === 'ready' ? 'ready' : 'degraded';
  }
}

/** The status LED as the screen model carries it (one colour; pulse drawn as a blink). */
export function ledStatesOf(signal: LedSignal): LedStates {
  return {
    status: signal.line satisfies LedColour,
    blink: signal.pattern === 'blink' || signal.pattern === 'pulse',
  };
}
