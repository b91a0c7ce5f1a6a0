// The speech port: the daemon's voice in the headphones (EN 301 549 closed functionality) and the short
// sounds every customer hears. The screen decides what to say; an adapter only says it, at once.

/**
 * - good-scan       an item went into the basket
 * - not-recognised  the scan was not an item (unknown, unreadable, refused)
 * - approved        the payment is approved
 * - declined        the payment did not go through
 * - warning         a time limit is about to run out (the idle warning, the approval window)
 */
export type Sound = 'good-scan' | 'not-recognised' | 'approved' | 'declined' | 'warning';

export const SOUNDS: readonly Sound[] = ['good-scan', 'not-recognised', 'approved', 'declined', 'warning'];

/** How an utterance or sound ended: played to its end, cut short by the next one (or `stop`), or not played. */
export type PlayOutcome = 'played' | 'interrupted' | 'failed';

/** Volume in per cent of the engine's normal loudness; the keys move it in steps within these bounds. */
export const VOLUME = { min: 10, max: 100, step: 10 } as const;

export interface SpeechPort {
  /**
   * Says `text` in `language` (a Messages language, `nb`, `en`…), cutting off whatever plays: speech is
   * never queued behind stale text. Resolves when it has been said, cut short, or could not be said.
   */
  speak(text: string, language: string): Promise<PlayOutcome>;
  /** Plays a sound, cutting off whatever plays, as `speak` does. */
  play(sound: Sound): Promise<PlayOutcome>;
  /** Silence now. */
  stop(): void;
  volume(): number;
  /** Sets the volume, kept within VOLUME's bounds; returns what it became. */
  setVolume(percent: number): number;
  /** Stops and releases what the adapter holds; nothing plays after. */
  close(): Promise<void>;
}

/** The volume a key step gives, kept within bounds. */
export function steppedVolume(current: number, direction: 1 | -1): number {
  return clampVolume(current + direction * VOLUME.step);
}

export function clampVolume(percent: number): number {
  return Math.min(VOLUME.max, Math.max(VOLUME.min, Math.round(percent)));
}
