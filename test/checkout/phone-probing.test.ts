import { afterEach, describe, expect, it } from 'vitest';
import { CheckoutHarness } from '../support/checkout-harness.js';

// Issue 15, finding 4: the keypad told anyone who typed numbers fast enough who is in the customer club
// (a member goes straight to paying, anyone else is offered the club) and pushed a request to each phone.
// The checkout's clock is simulated: the burst takes no real time, and the pause ends when the test says.

const MILK = '2000000000015';
const NUMBERS = ['4791234567', '4791234568', '4791234569', '4791234570', '4791234571'];

describe('a burst of phone numbers on the keypad', () => {
  let kiosk: CheckoutHarness;
  afterEach(async () => {
    await kiosk?.stop();
  });

  /** basket → identify → the number → the club's answer → back to the basket, as a prober would. */
  async function probe(msisdn: string): Promise<ReturnType<CheckoutHarness['service']['dispatch']>> {
    kiosk.send({ type: 'pay' });
    await kiosk.until('identify');
    const outcome = kiosk.service.dispatch({ type: 'pay-phone', msisdn });
    if (outcome.accepted) {
      await kiosk.until('club-offer');
      kiosk.send({ type: 'back' });
    } else {
      kiosk.send({ type: 'back' });
    }
    await kiosk.until('basket');
    kiosk.advance(1_000);
    return outcome;
  }

  it('looks up three numbers a minute, then asks the customer to wait, and takes numbers again after', async () => {
    kiosk = await new CheckoutHarness({ club: {} }).start();
    kiosk.scan(MILK);
    await kiosk.until('basket');
    const outcomes = [];
    for (const msisdn of NUMBERS) outcomes.push(await probe(msisdn));
    expect(kiosk.clubCalls.filter((call) => call === 'lookup')).toHaveLength(3);
    expect(outcomes.slice(0, 3).every((outcome) => outcome.accepted)).toBe(true);
    expect(outcomes[3]).toMatchObject({
      accepted: false,
      reason: 'phone-entry-paused',
      retryAfterMs: 57_000,
    });
    expect(outcomes[4]).toMatchObject({ accepted: false, retryAfterMs: 56_000 });

    kiosk.advance(56_000);
    expect(await probe(NUMBERS[4]!)).toEqual({ accepted: true });
    expect(kiosk.clubCalls.filter((call) => call === 'lookup')).toHaveLength(4);
  });
});
