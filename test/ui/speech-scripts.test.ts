import { describe, expect, it } from 'vitest';
import {
  type ConsentNotice,
  type DeclineReason,
  LANGUAGES,
  type Language,
  SCREEN_NAMES,
  type ScreenModel,
} from '../../contracts/screen-model.js';
import { messagesOf } from '../../ui/i18n/index.js';
import { screenScript, spell } from '../../ui/speech/screen-script.js';
import { BINDING_MESSAGE, fixture } from './fixtures.js';

// Every screen, and every state a screen can be in, has a spoken script in every language: a customer in
// speech mode who hears nothing (or "undefined") is as lost as one who cannot see the screen. Whole words
// only: Danish "annullere" is not a null.

const REASONS: DeclineReason[] = [
  'rejected',
  'expired',
  'cancelled',
  'unknown-customer',
  'invalid-customer',
  'refused',
];
const NOTICES: ConsentNotice[] = ['maybe-sent', 'ignore-request', 'already-waiting'];

/** Each screen in each of its states the script words differently. */
function states(language: Language): Array<[string, ScreenModel]> {
  const at = (screen: (typeof SCREEN_NAMES)[number], options = {}) =>
    fixture(screen, { language, ...options });
  const consent = at('club-consent');
  const emptyBasket = { ...at('basket'), basket: { lines: [], total: 0, itemCount: 0, savings: 0 } };
  const byQr = at('awaiting-approval');
  const offer = at('club-offer');
  return [
    ...SCREEN_NAMES.map((screen): [string, ScreenModel] => [screen, at(screen)]),
    ['basket, empty', emptyBasket],
    ['awaiting-approval, by personal QR', { ...byQr, payment: { ...byQr.payment!, customer: null } }],
    ...REASONS.map((reason): [string, ScreenModel] => [
      `declined, ${reason}`,
      at('declined', { declined: reason }),
    ]),
    ['club-offer, nothing on member price', { ...offer, club: { ...offer.club!, offerSavings: 0 } }],
    ...NOTICES.map((notice): [string, ScreenModel] => [
      `club-consent, ${notice}`,
      { ...consent, club: { ...consent.club!, consent: { ...consent.club!.consent!, notice } } },
    ]),
    ['basket, idle warning', at('basket', { idle: true })],
    ['identify, attended', at('identify', { attended: true })],
    ['awaiting-approval, attended', at('awaiting-approval', { attended: true })],
  ];
}

describe('speech scripts', () => {
  for (const language of LANGUAGES) {
    const t = messagesOf(language, 'NO');
    it(`${language}: every screen and state has a script that says something real`, () => {
      for (const screen of SCREEN_NAMES)
        expect(t.speech.where[screen], `${language} ${screen}`).toMatch(/\S/);
      for (const [state, model] of states(language)) {
        const said = screenScript(model, t);
        expect(said, `${language} ${state}`).toMatch(/\p{L}{2,}.*\p{L}{2,}/u);
        expect(said, `${language} ${state}`).not.toMatch(/\bundefined\b|\bNaN\b|\bnull\b|\[object/);
      }
    });
  }

  it('says where the customer is, the total and the time left, in the kiosk’s language', () => {
    const basket = fixture('basket', { language: 'nb' });
    expect(screenScript(basket, messagesOf('nb', 'NO')).replace(/\s/g, ' ')).toBe(
      'Handlekurven. 13 varer. Å betale: 596,00 kr. Skann flere varer, eller trykk neste for å høre varene og komme til Betal.',
    );
    const waiting = fixture('awaiting-approval', { language: 'en' });
    const said = screenScript(waiting, messagesOf('en', 'NO'));
    expect(said).toContain('The request went to the number ending in 6, 7.');
    expect(said).toMatch(/4 minutes and 32 seconds left\.$/);
  });

  it('in attended mode, says on the payment screens that next reads the POS’s lines (they come first)', () => {
    const t = messagesOf('en', 'NO');
    for (const screen of ['identify', 'awaiting-approval'] as const) {
      expect(screenScript(fixture(screen, { language: 'en', attended: true }), t), screen).toContain(
        'Press next to hear the items.',
      );
      expect(screenScript(fixture(screen, { language: 'en' }), t), screen).not.toContain(t.speech.posLines);
    }
    // The one-time QR keeps the whole screen: no lines to hear there.
    const qr = fixture('awaiting-approval', { language: 'en', attended: true, qr: true });
    expect(screenScript(qr, t)).not.toContain(t.speech.posLines);
  });

  it('spells the club’s binding code character by character', () => {
    expect(spell(BINDING_MESSAGE)).toBe('H, J, K, 4, 7, 9');
    expect(screenScript(fixture('club-consent', { language: 'en' }), messagesOf('en', 'NO'))).toContain(
      'shows the code H, J, K, 4, 7, 9,',
    );
  });
});
