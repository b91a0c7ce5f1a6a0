import assert from 'node:assert/strict';
import type { LedLine, LedPattern, LedPort } from '../../device/hardware/led-port.js';
import type { ContractCase } from './scanner-contract.js';

// One contract for every LED adapter; like the scanner's, framework-free so the HIL guest runs it too.

export interface LedRig {
  port: LedPort;
  /** What the hardware shows on a line, read from the hardware side (sysfs files, simulated line levels). */
  observe(line: LedLine): Promise<LedPattern>;
  /** Whether the adapter has let go of its lines (unexported, trigger off). */
  released(): Promise<boolean>;
  dispose(): Promise<void>;
}

export interface LedRigFactory {
  name: string;
  create(): Promise<LedRig>;
}

export function ledContract(factory: LedRigFactory): ContractCase[] {
  const withRig = (body: (rig: LedRig, lines: readonly LedLine[]) => Promise<void>) => async () => {
    const rig = await factory.create();
    try {
      await rig.port.start();
      await body(rig, rig.port.lines());
    } finally {
      await rig.port.stop();
      await rig.dispose();
    }
  };
  const observeAll = async (rig: LedRig, lines: readonly LedLine[]) =>
    Object.fromEntries(
      await Promise.all(lines.map(async (line) => [line, await rig.observe(line)] as const)),
    );
  return [
    {
      name: 'starts with every line off',
      run: withRig(async (rig, lines) => {
        assert.ok(lines.length > 0, 'the rig wires at least one line');
        for (const line of lines) assert.equal(await rig.observe(line), 'off', line);
      }),
    },
    {
      name: 'shows each pattern on the hardware, one line at a time',
      run: withRig(async (rig, lines) => {
        const [first, second] = lines;
        for (const pattern of ['on', 'blink', 'pulse', 'off'] as const) {
          rig.port.show(first!, pattern);
          assert.equal(await rig.observe(first!), pattern, `${first} ${pattern}`);
          assert.deepEqual(rig.port.state()[first!], pattern);
        }
        if (second) {
          rig.port.show(second, 'on');
          assert.deepEqual(await observeAll(rig, lines.slice(0, 2)), { [first!]: 'off', [second]: 'on' });
        }
      }),
    },
    {
      name: 'stop turns every line off and releases it',
      run: withRig(async (rig, lines) => {
        for (const line of lines) rig.port.show(line, 'blink');
        await rig.port.stop();
        assert.ok(await rig.released(), 'lines released');
      }),
    },
  ];
}
