import assert from 'node:assert/strict';
import type { ScannerEvent, ScannerPort } from '../../device/hardware/scanner-port.js';

// One contract for every scanner adapter, written without a test framework so the same cases run
// under vitest on the host and under the HIL runner inside the QEMU guest.

/** A scanner adapter with a way to act as its hardware. */
export interface ScannerRig {
  port: ScannerPort;
  plug(): Promise<void>;
  unplug(): Promise<void>;
  /** A whole read, in the adapter's own wire form, ending as the scanner ends a code. */
  read(text: string): Promise<void>;
  /** The start of a read that never ends. */
  partial(text: string): Promise<void>;
  /** Lets the line stay quiet past the adapter's inter-character (or continuation) timeout. */
  quiet(): Promise<void>;
  /** Reports no scanner sends; null for an adapter without a wire (the fake). */
  garbage: (() => Promise<void>) | null;
  dispose(): Promise<void>;
}

export interface ScannerRigFactory {
  name: string;
  create(options: { plugged: boolean }): Promise<ScannerRig>;
  /** How long events may take to arrive: milliseconds on the host, seconds under emulation. */
  patienceMs: number;
  /** The adapter reads reports off a wire, so malformed ones can be sent (not the fake). */
  wire: boolean;
  /**
   * The unterminated flood: 4 KB by default. A keyboard-mode scanner needs two USB reports per
   * character, which takes minutes under emulation, so the HIL's keyboard rigs send just past the 1 KB limit.
   */
  floodBytes?: number;
}

export interface ContractCase {
  name: string;
  run(): Promise<void>;
}

/** A real Vipps personal QR (the phone-number form) and a product barcode. */
export const VIPPS_QR = 'https://qr.vipps.no/28/2/01/031/4791234567?v=1';
export const EAN = '7038010009457';

class Events {
  readonly seen: ScannerEvent[] = [];
  constructor(port: ScannerPort) {
    port.subscribe((event) => this.seen.push(event));
  }

  async until(what: string, test: (events: ScannerEvent[]) => boolean, patienceMs: number): Promise<void> {
    const end = Date.now() + patienceMs;
    while (!test(this.seen)) {
      if (Date.now() > end)
        assert.fail(`${what}: waited ${patienceMs} ms; events were ${JSON.stringify(this.seen)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  scans(): string[] {
    return this.seen.flatMap((e) => (e.type === 'scan' ? [e.text] : []));
  }

  count(type: ScannerEvent['type']): number {
    return this.seen.filter((e) => e.type === type).length;
  }
}

export function scannerContract(factory: ScannerRigFactory): ContractCase[] {
  const patience = factory.patienceMs;
  const withRig =
    (plugged: boolean, body: (rig: ScannerRig, events: Events) => Promise<void>) => async () => {
      const rig = await factory.create({ plugged });
      const events = new Events(rig.port);
      try {
        await rig.port.start();
        await body(rig, events);
      } finally {
        await rig.port.stop();
        await rig.dispose();
      }
    };
  const cases: ContractCase[] = [
    {
      name: 'reports the scanner attached, and a Vipps QR read arrives as one exact scan',
      run: withRig(true, async (rig, events) => {
        await events.until('attached', (e) => e.some((x) => x.type === 'attached'), patience);
        assert.ok(rig.port.attached(), 'attached() names the scanner');
        assert.ok(rig.port.alive(), 'the read loop is alive');
        await rig.read(VIPPS_QR);
        await events.until('the scan', (e) => e.some((x) => x.type === 'scan'), patience);
        assert.deepEqual(events.scans(), [VIPPS_QR]);
      }),
    },
    {
      name: 'starts without a scanner, then takes one plugged in later',
      run: withRig(false, async (rig, events) => {
        assert.equal(rig.port.attached(), null);
        assert.ok(rig.port.alive(), 'the loop is alive, looking for a scanner');
        await rig.plug();
        await events.until('attached after plug', (e) => e.some((x) => x.type === 'attached'), patience);
        await rig.read(EAN);
        await events.until('the scan', (e) => e.some((x) => x.type === 'scan'), patience);
        assert.deepEqual(events.scans(), [EAN]);
      }),
    },
    {
      name: 'an unplug mid-scan drops the partial scan; a replug is recovered and reads again',
      run: withRig(true, async (rig, events) => {
        await events.until('attached', (e) => e.some((x) => x.type === 'attached'), patience);
        await rig.partial(VIPPS_QR.slice(0, 30));
        await rig.unplug();
        await events.until('detached', (e) => e.some((x) => x.type === 'detached'), patience);
        assert.equal(rig.port.attached(), null);
        assert.ok(rig.port.alive(), 'the loop lives on after an unplug, looking for the scanner again');
        assert.ok(
          events.seen.some((e) => e.type === 'dropped' && e.reason === 'unplugged'),
          `the partial scan is reported dropped: ${JSON.stringify(events.seen)}`,
        );
        await rig.plug();
        await events.until(
          'attached again',
          (e) => e.filter((x) => x.type === 'attached').length === 2,
          patience,
        );
        await rig.read(EAN);
        await events.until('the scan after replug', (e) => e.some((x) => x.type === 'scan'), patience);
        assert.deepEqual(events.scans(), [EAN], 'no part of the cut-off scan ever arrives');
      }),
    },
    {
      name: `${factory.floodBytes ?? 4096} bytes without a terminator are dropped, and the next scan reads cleanly`,
      run: withRig(true, async (rig, events) => {
        await events.until('attached', (e) => e.some((x) => x.type === 'attached'), patience);
        await rig.partial('7'.repeat(factory.floodBytes ?? 4096));
        await rig.quiet();
        await events.until('dropped', (e) => e.some((x) => x.type === 'dropped'), patience);
        await rig.read(EAN);
        await events.until('the scan', (e) => e.some((x) => x.type === 'scan'), patience);
        assert.deepEqual(events.scans(), [EAN]);
        assert.ok(
          events.seen.some((e) => e.type === 'dropped' && e.reason === 'too-long'),
          JSON.stringify(events.seen),
        );
      }),
    },
    {
      name: 'after stop, the scanner is released and nothing more is heard',
      run: withRig(true, async (rig, events) => {
        await events.until('attached', (e) => e.some((x) => x.type === 'attached'), patience);
        await rig.port.stop();
        assert.equal(rig.port.attached(), null);
        assert.equal(rig.port.alive(), false, 'a stopped loop is not alive');
        await rig.read(EAN);
        // Started again, the port's first scan is the marker: a read the stopped loop had taken would
        // have arrived before it.
        await rig.port.start();
        await rig.read(VIPPS_QR);
        await events.until('the scan after a restart', (e) => e.some((x) => x.type === 'scan'), patience);
        assert.deepEqual(events.scans(), [VIPPS_QR]);
      }),
    },
  ];
  if (!factory.wire) return cases;
  cases.push({
    name: 'garbage reports never become a scan; the next good read does',
    run: withRig(true, async (rig, events) => {
      await events.until('attached', (e) => e.some((x) => x.type === 'attached'), patience);
      await rig.garbage!();
      await rig.quiet();
      await rig.read(EAN);
      await events.until('the scan', (e) => e.some((x) => x.type === 'scan'), patience);
      assert.deepEqual(events.scans(), [EAN]);
      assert.ok(
        events.seen.some((e) => e.type === 'dropped' && e.reason === 'garbled'),
        JSON.stringify(events.seen),
      );
    }),
  });
  return cases;
}
