import { APP_NAME, type Language, type MarketCountry } from '../../contracts/screen-model.js';
import { da } from './da.js';
import { en } from './en.js';
import { fi } from './fi.js';
import type { Messages } from './messages.js';
import { nb } from './nb.js';
import { nn } from './nn.js';
import { sv } from './sv.js';

export type { Messages } from './messages.js';

/**
 * One entry per language the daemon can ask for; a new `Language` without a catalog fails to compile. The
 * order is the order the language list shows them in. Texts name the payment app as `{app}`: read them
 * through `messagesOf`, which names it the way the kiosk's market does.
 */
export const CATALOGS: Readonly<Record<Language, Messages>> = { nb, nn, en, da, sv, fi };

/** The kiosk's home language, used before the daemon has said which one is chosen. */
export const DEFAULT_LANGUAGE: Language = 'nb';

/** Where a text names the payment app; filled with the market's app name. */
export const APP_PLACEHOLDER = '{app}';

function fill(value: unknown, app: string): unknown {
  if (typeof value === 'string') return value.replaceAll(APP_PLACEHOLDER, app);
  if (typeof value === 'function') {
    const text = value as (...args: unknown[]) => string;
    return (...args: unknown[]) => text(...args).replaceAll(APP_PLACEHOLDER, app);
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, app));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, app)]));
  return value;
}

// Built once per language and market: the screen reads texts on every render.
const filled = new Map<string, Messages>();

/** The texts of `language` with the payment app named as `market` names it (Vipps, or MobilePay). */
export function messagesOf(language: Language, market: MarketCountry): Messages {
  const key = `${language}|${market}`;
  let messages = filled.get(key);
  if (!messages) {
    messages = fill(CATALOGS[language], APP_NAME[market]) as Messages;
    filled.set(key, messages);
  }
  return messages;
}
