import { FakePrinter } from '../../device/printer/fake-printer.js';
import type { PrinterRigFactory } from '../hardware/printer-contract.js';

export const fakePrinterRig: PrinterRigFactory = {
  name: 'fake printer',
  patienceMs: 500,
  jobTimeoutMs: 2000,
  conditions: ['paper-near-end', 'paper-out', 'cover-open'],
  async create() {
    const printer = new FakePrinter();
    return {
      printer,
      received: () => printer.received(),
      setCondition: async (condition) => printer.setCondition(condition),
      unplug: async () => printer.unplug(),
      replug: async () => printer.replug(),
      cutNextJobAfter: (bytes) => printer.cutNextJobAfter(bytes),
      close: async () => {},
    };
  },
};
