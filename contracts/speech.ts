import { z } from 'zod';

// Speech mode on the screen socket. The screen owns focus and words; the daemon owns the audio and the
// tactile keys. The daemon sends the navigation keys to the page (`{type:'key', press}`); the page sends
// what to say (`{type:'speak'}`) and the touch screen's long press (`{type:'speech-mode'}`) back.

/** Speech mode as the screen model carries it: on until the session ends (back to attract). */
export interface SpeechState {
  on: boolean;
  /** Per cent of the engine's normal loudness. */
  volume: number;
}

/**
 * The tactile keys (device/hardware/key-port.ts says what each does). A wire fact since the demo panel
 * presses the demo's fake ones (`POST /api/demo/key`).
 */
export const TACTILE_KEYS = [
  'speech',
  'next',
  'previous',
  'select',
  'back',
  'volume-up',
  'volume-down',
] as const;
export type TactileKey = (typeof TACTILE_KEYS)[number];

/** A press of a demo key by the demo panel: `long` is held past the long-press time. */
export const demoKeyPressSchema = z.strictObject({
  key: z.enum(TACTILE_KEYS),
  long: z.boolean().default(false),
});

/** The keys that move and act on the page; speech and volume keys stay with the daemon. */
export const SCREEN_KEYS = ['next', 'previous', 'select', 'back'] as const;
export type ScreenKey = (typeof SCREEN_KEYS)[number];

export interface ScreenKeyPress {
  key: ScreenKey;
  long: boolean;
}

export type SpeechRequest =
  /** Say `text` in `lang` (a Messages language), cutting off whatever is being said. */
  | { type: 'speak'; text: string; lang: string; interrupt: true }
  /** A long press on the touch screen starts speech mode. */
  | { type: 'speech-mode'; on: boolean };

// Untrusted like intents: anything that is not exactly a SpeechRequest is refused. The language is only
// a shape here; the daemon's voice table decides which voice reads it (an unknown one: the store's).
export const speechRequestSchema: z.ZodType<SpeechRequest> = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('speak'),
    text: z.string().min(1).max(2_000),
    lang: z.string().regex(/^[a-z]{2,3}$/),
    interrupt: z.literal(true),
  }),
  z.strictObject({ type: z.literal('speech-mode'), on: z.boolean() }),
]);
