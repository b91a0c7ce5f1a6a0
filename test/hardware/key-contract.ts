import assert from 'node:assert/strict';
import type { KeyPort, KeyPress, TactileKey } from '../../device/hardware/key-port.js';
import type { ContractCase } from './scanner-contract.js';

// One contract for every tactile-key adapter; like the LEDs', framework-free so the HIL guest runs it
// too (the onoff adapter on gpio-sim lines). "Nothing more was emitted" is never a wait: each case ends
// with a press of another key, and since presses come in order, anything extra would come before it.

export interface KeyRig {
  port: KeyPort;
  /** The keys the rig wires: at least two. */
  wired: readonly TactileKey[];
  /** The key pressed and let go as a person does; `long`: held past the long-press time. */
  press(key: TactileKey, long: boolean): Promise<void>;
  /** A short press whose contacts chatter (close and open several times) first; null for the fake. */
  bouncyPress: ((key: TactileKey) => Promise<void>) | null;
  /** Whether the adapter has let go of its lines (unexported). */
  released(): Promise<boolean>;
  dispose(): Promise<void>;
}

export interface KeyRigFactory {
  name: string;
  create(): Promise<KeyRig>;
  /** How long a press may take to arrive: milliseconds on the host, seconds under emulation. */
  patienceMs: number;
  /** The rig has contacts that can bounce (its rigs give `bouncyPress`); not the fake. */
  contacts: boolean;
}

class Heard {
  readonly presses: KeyPress[] = [];
  readonly stop: () => void;
  constructor(port: KeyPort) {
    this.stop = port.subscribe((press) => this.presses.push(press));
  }
}

async function until(what: string, test: () => boolean, patienceMs: number, state: () => unknown) {
  const end = Date.now() + patienceMs;
  while (!test()) {
    if (Date.now() > end) assert.fail(`${what}: waited ${patienceMs} ms; ${JSON.stringify(state())}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function keyContract(factory: KeyRigFactory): ContractCase[] {
  const withRig =
    (body: (rig: KeyRig, heard: Heard, first: TactileKey, marker: TactileKey) => Promise<void>) =>
    async () => {
      const rig = await factory.create();
      try {
        await rig.port.start();
        const [first, marker] = rig.wired;
        await body(rig, new Heard(rig.port), first!, marker!);
      } finally {
        await rig.port.stop();
        await rig.dispose();
      }
    };
  /** Waits for `count` presses, then says exactly which came. */
  const heardExactly = async (heard: Heard, expected: KeyPress[]) => {
    await until(
      `${expected.length} presses`,
      () => heard.presses.length >= expected.length,
      factory.patienceMs,
      () => heard.presses,
    );
    assert.deepEqual(heard.presses, expected);
  };
  const bouncing: ContractCase = {
    name: 'contacts that bounce make one press',
    run: withRig(async (rig, heard, first, marker) => {
      assert.ok(rig.bouncyPress, 'a rig with contacts can make them bounce');
      await rig.bouncyPress(first);
      await rig.press(marker, false);
      await heardExactly(heard, [
        { key: first, long: false },
        { key: marker, long: false },
      ]);
    }),
  };
  return [
    ...(factory.contacts ? [bouncing] : []),
    {
      name: 'lists the keys it claimed',
      run: withRig(async (rig) => {
        assert.ok(rig.wired.length >= 2, 'the rig wires at least two keys');
        assert.deepEqual([...rig.port.keys()].sort(), [...rig.wired].sort());
      }),
    },
    {
      name: 'a short press is one press, emitted on release',
      run: withRig(async (rig, heard, first, marker) => {
        await rig.press(first, false);
        await rig.press(marker, false);
        await heardExactly(heard, [
          { key: first, long: false },
          { key: marker, long: false },
        ]);
      }),
    },
    {
      name: 'a key held past the long-press time is one long press',
      run: withRig(async (rig, heard, first, marker) => {
        await rig.press(first, true);
        await rig.press(marker, false);
        await heardExactly(heard, [
          { key: first, long: true },
          { key: marker, long: false },
        ]);
      }),
    },
    {
      name: 'a listener that unsubscribed hears nothing more; the others still do',
      run: withRig(async (rig, heard, first, marker) => {
        const gone = new Heard(rig.port);
        gone.stop();
        await rig.press(first, false);
        await rig.press(marker, false);
        await heardExactly(heard, [
          { key: first, long: false },
          { key: marker, long: false },
        ]);
        assert.deepEqual(gone.presses, []);
      }),
    },
    {
      name: 'stop releases every line',
      run: withRig(async (rig) => {
        await rig.port.stop();
        assert.ok(await rig.released(), 'lines released');
        assert.deepEqual(rig.port.keys(), []);
      }),
    },
  ];
}
