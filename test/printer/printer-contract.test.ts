import { describe, it } from 'vitest';
import { printerContract } from '../hardware/printer-contract.js';
import { fakePrinterRig } from './printer-rigs.js';

// The same contract the HIL runs against the USB adapter on the kernel's printer gadget (test/hil/guest/).
describe(`printer contract: ${fakePrinterRig.name}`, () => {
  for (const c of printerContract(fakePrinterRig)) it(c.name, c.run);
});
