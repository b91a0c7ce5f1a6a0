import type { Logger } from '../../common/log/logger.js';
import type { Settings } from '../config/schema.js';
import { HardwareError } from '../hardware/hardware-error.js';
import type { KeyPort } from '../hardware/key-port.js';
import { AlsaSink } from './audio-sink.js';
import { EspeakSpeech } from './espeak-speech.js';
import { type CueClock, SoundCues } from './sound-cues.js';
import { type SpeechCheckout, SpeechMode } from './speech-mode.js';
import type { SpeechPort } from './speech-port.js';

export interface OpenSpeechOptions {
  checkout: SpeechCheckout;
  /** The engine to use instead of espeak-ng through ALSA (tests: a recorder writing WAV files). */
  port?: SpeechPort;
  /** The tactile keys, when the kiosk has them. */
  keys?: KeyPort;
  /** The checkout's clock (XState's SimulatedClock in tests); the wall clock when absent. */
  clock?: CueClock;
  logger: Logger;
}

export interface RunningSpeech {
  mode: SpeechMode;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const WALL_CLOCK: CueClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/**
 * Speech mode, the sounds and the tactile keys as one part of the kiosk; undefined when `speech.enabled`
 * is off and no engine is handed in. Keys that cannot be claimed are logged, and the kiosk goes on
 * without them (the long press on the screen still starts speech mode).
 */
export function openSpeech(
  settings: Settings['speech'],
  options: OpenSpeechOptions,
): RunningSpeech | undefined {
  const { logger, checkout, keys } = options;
  if (!options.port && !settings.enabled) return undefined;
  const port =
    options.port ??
    new EspeakSpeech({
      sink: new AlsaSink(settings.alsaDevice, (message) => logger.error(message)),
      voices: definedVoices(settings.voices),
      fallbackVoice: 'nb',
      volume: settings.volume,
      onError: (message) => logger.error(message),
    });
  const mode = new SpeechMode(port, checkout, logger);
  const cues = new SoundCues(port, options.clock ?? WALL_CLOCK);
  let unsubscribe: Array<() => void> = [];
  return {
    mode,
    async start() {
      mode.start();
      unsubscribe = [checkout.subscribe((model) => cues.see(model))];
      if (!keys) return;
      unsubscribe.push(keys.subscribe((press) => mode.press(press)));
      try {
        await keys.start();
      } catch (error) {
        if (!(error instanceof HardwareError)) throw error;
        logger.error(`tactile keys off: ${error.message}`);
      }
    },
    async stop() {
      for (const stop of unsubscribe) stop();
      cues.stop();
      await keys?.stop();
      await mode.stop();
    },
  };
}

function definedVoices(voices: Settings['speech']['voices']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(voices).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
