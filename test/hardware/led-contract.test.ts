import { describe, it } from 'vitest';
import { ledContract } from './led-contract.js';
import { fakeLedRig, sysfsLedRig } from './led-rigs.js';

// onoff needs /sys/class/gpio, which this host's kernel lacks: the HIL runs this contract on gpio-sim lines.
for (const factory of [fakeLedRig, sysfsLedRig]) {
  describe(`LED contract: ${factory.name}`, () => {
    for (const c of ledContract(factory)) it(c.name, c.run);
  });
}
