import { describe, it } from 'vitest';
import { keyContract } from './key-contract.js';
import { fakeKeyRig } from './key-rigs.js';

// onoff needs /sys/class/gpio, which this host's kernel lacks: the HIL runs this contract on gpio-sim lines.
describe(`key contract: ${fakeKeyRig.name}`, () => {
  for (const c of keyContract(fakeKeyRig)) it(c.name, c.run);
});
