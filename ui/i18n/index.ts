import type { Language } from '../../contracts/screen-model.js';
import { en } from './en.js';
import type { Messages } from './messages.js';
import { nb } from './nb.js';

export type { Messages } from './messages.js';

/** One entry per language the daemon can ask for; a new `Language` without a catalog fails to compile. */
export const CATALOGS: Readonly<Record<Language, Messages>> = { nb, en };

/** The kiosk's home language, used before the daemon has said which one is chosen. */
export const DEFAULT_LANGUAGE: Language = 'nb';
