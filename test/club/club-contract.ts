import { afterEach, describe, expect, it } from 'vitest';
import type { Club, Enrolment } from '../../device/club/club.js';

/** One store under test: `open()` gives a new adapter over the same members (a restart). */
export interface ClubFixture {
  open(): Club;
  cleanup(): Promise<void>;
}

export type MakeClubFixture = () => Promise<ClubFixture>;

const JOINED = Date.parse('2026-11-23T15:00:00.000Z');

export function enrolment(overrides: Partial<Enrolment> = {}): Enrolment {
  return {
    sub: 'c0ffee00-0000-4000-8000-000000000001',
    msisdn: '4712345678',
    claims: { name: 'Kari Nordmann', phone_number: '4712345678' },
    consents: null,
    consentedAt: JOINED - 2_000,
    enrolledAt: JOINED,
    kioskId: 'kiosk-1',
    ...overrides,
  };
}

/** What every Club adapter promises the checkout. */
export function clubContract(adapter: string, make: MakeClubFixture): void {
  describe(`Club contract: ${adapter}`, () => {
    const opened: Club[] = [];
    let fixture: ClubFixture;

    async function started(): Promise<Club> {
      fixture ??= await make();
      const club = fixture.open();
      opened.push(club);
      await club.start();
      return club;
    }

    afterEach(async () => {
      for (const club of opened.splice(0)) await club.stop();
      await fixture?.cleanup();
      fixture = undefined as unknown as ClubFixture;
    });

    it('answers null for a number that is not a member', async () => {
      expect(await (await started()).lookup('4799999999')).toBeNull();
    });

    it('enrols a customer, who is then found by their number', async () => {
      const club = await started();
      const member = await club.enrol(enrolment());
      expect(member).toEqual({ sub: enrolment().sub, msisdn: '4712345678', since: JOINED });
      expect(await club.lookup('4712345678')).toEqual(member);
      expect(await club.lookup('4712345679')).toBeNull();
    });

    it('enrols the same sub again without change, and answers the member as they joined', async () => {
      const club = await started();
      const first = await club.enrol(enrolment());
      const again = await club.enrol(enrolment({ enrolledAt: JOINED + 60_000, kioskId: 'kiosk-2' }));
      expect(again).toEqual(first);
      expect(await club.lookup('4712345678')).toEqual(first);
    });

    it('moves a member whose number changed to the new number, keeping when they joined', async () => {
      const club = await started();
      await club.enrol(enrolment());
      const moved = await club.enrol(enrolment({ msisdn: '4798765432', enrolledAt: JOINED + 60_000 }));
      expect(moved).toEqual({ sub: enrolment().sub, msisdn: '4798765432', since: JOINED });
      expect(await club.lookup('4712345678')).toBeNull();
      expect(await club.lookup('4798765432')).toEqual(moved);
    });

    it('gives a number Vipps verified for a new sub to that sub', async () => {
      const club = await started();
      await club.enrol(enrolment());
      const newcomer = enrolment({
        sub: 'c0ffee00-0000-4000-8000-000000000002',
        enrolledAt: JOINED + 60_000,
      });
      await club.enrol(newcomer);
      expect(await club.lookup('4712345678')).toEqual({
        sub: newcomer.sub,
        msisdn: '4712345678',
        since: JOINED + 60_000,
      });
    });

    it('forgets a member: true once, then false, and they are no longer found', async () => {
      const club = await started();
      await club.enrol(enrolment());
      await club.enrol(enrolment({ sub: 'c0ffee00-0000-4000-8000-000000000002', msisdn: '4711111111' }));
      expect(await club.forget('4712345678')).toBe(true);
      expect(await club.lookup('4712345678')).toBeNull();
      expect(await club.forget('4712345678')).toBe(false);
      expect(await club.lookup('4711111111')).not.toBeNull();
    });

    it('keeps members across a restart', async () => {
      const first = await started();
      const member = await first.enrol(enrolment());
      await first.stop();
      expect(await (await started()).lookup('4712345678')).toEqual(member);
    });
  });
}
