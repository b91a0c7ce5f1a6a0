import { createLogger } from '../../../common/log/logger.js';
import { libusbHotplug } from '../../../device/hardware/usb-hotplug.js';
import { UsbPrinter } from '../../../device/printer/usb-printer.js';
import { libusbPrinterBus } from '../../../device/printer/usb-printer-libusb.js';
import type { PrinterRigFactory } from '../../hardware/printer-contract.js';
import { PrinterGadget } from './printer-gadget.js';

const logger = createLogger({ level: process.env.HIL_DEBUG ? 'debug' : 'error', journal: false });
let gadgets = 0;

/**
 * The USB printer adapter against the printer gadget, which answers DLE EOT as an ESC/POS printer does.
 * A gadget that does not answer (the class port status alone) made the adapter's status read outlast a
 * 10 s job timeout in the VM: not run until that is understood.
 */
export function gadgetPrinterRig(): PrinterRigFactory {
  const patienceMs = 20_000;
  const jobTimeoutMs = 10_000;
  return {
    name: 'USB printer gadget, ESC/POS real-time status',
    patienceMs,
    jobTimeoutMs,
    conditions: ['paper-near-end', 'paper-out', 'cover-open'],
    async create() {
      const gadget = new PrinterGadget({
        name: `printer${gadgets++}`,
        // An Epson id: the adapter must also take it by maker, but it is found by class here first.
        vendorId: 0x04b8,
        productId: 0x0e28,
        product: 'TM-T20III (HIL gadget)',
        patienceMs,
      });
      await gadget.plug();
      const bus = await libusbPrinterBus();
      if (bus instanceof Error) throw bus;
      const printer = new UsbPrinter(bus, await libusbHotplug(), {
        jobTimeoutMs,
        pollMs: 200,
        settleMs: 200,
        // Under emulation an answer can take a while.
        answerTimeoutMs: 2000,
        logger,
      });
      return {
        printer,
        received: () => gadget.received(),
        setCondition: (condition) => gadget.setCondition(condition),
        unplug: () => gadget.unplug(),
        replug: () => gadget.plug(),
        cutNextJobAfter: (bytes) => gadget.cutNextJobAfter(bytes),
        close: () => gadget.remove(),
      };
    },
  };
}
