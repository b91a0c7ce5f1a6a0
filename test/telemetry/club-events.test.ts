import { expect, it } from 'vitest';
import type { ClubStatus, ScreenModel } from '../../contracts/screen-model.js';
import { clubEventOf } from '../../device/telemetry/kiosk-telemetry.js';
import { fixture } from '../ui/fixtures.js';

// How a club offer ends, as HQ counts it: one event per offer, from one screen model to the next.

function withClub(status: ClubStatus): ScreenModel {
  return { ...fixture('basket'), club: { status, offerSavings: 8000, consent: null, loginLeftOpen: false } };
}

it('reports each way an offer ends, once, with the saving it was about and nobody named', () => {
  for (const outcome of ['joined', 'skipped', 'declined', 'timeout', 'unavailable'] as const) {
    expect(clubEventOf(withClub('offered'), withClub(outcome)), outcome).toEqual({
      type: 'club-enrolment',
      payload: { outcome, basketSavings: 8000 },
    });
  }
  // The session ended (idle, start over) or another customer paid before an answer: abandoned.
  expect(clubEventOf(withClub('offered'), withClub('unknown'))?.payload).toEqual({
    outcome: 'abandoned',
    basketSavings: 8000,
  });
  // Nothing to report: an offer still open, one being made, or a member paying.
  expect(clubEventOf(withClub('offered'), withClub('offered'))).toBeUndefined();
  expect(clubEventOf(withClub('unknown'), withClub('offered'))).toBeUndefined();
  expect(clubEventOf(withClub('member'), withClub('unknown'))).toBeUndefined();
  expect(clubEventOf(undefined, withClub('joined'))).toBeUndefined();
});
