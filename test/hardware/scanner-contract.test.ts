import { describe, it } from 'vitest';
import { scannerContract } from './scanner-contract.js';
import { fakeScannerRig, standInRig } from './scanner-rigs.js';

// The same contract the HIL runs against real USB in the QEMU guest (test/hil/guest/).
for (const factory of [
  fakeScannerRig,
  standInRig('hid-pos'),
  standInRig('keyboard', 'us'),
  standInRig('keyboard', 'no'),
]) {
  describe(`scanner contract: ${factory.name}`, () => {
    for (const c of scannerContract(factory)) it(c.name, c.run);
  });
}
