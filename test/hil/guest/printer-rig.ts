import { createLogger } from '../../../common/log/logger.js';
import { libusbHotplug } from '../../../device/hardware/usb-hotplug.js';
import { UsbPrinter } from '../../../device/printer/usb-printer.js';
import { libusbPrinterBus } from '../../../device/printer/usb-printer-libusb.js';
import type { PrinterRigFactory } from '../../hardware/printer-contract.js';
import { PrinterGadget } from './printer-gadget.js';

const logger = createLogger({ level: process.env.HIL_DEBUG ? 'debug' : 'error', journal: false });
let gadgets = 0;

/**
 * The USB printer adapter against the printer gadget: one that answers DLE EOT (read by ESC/POS
 * real-time status) and one that does not (read by the class port status, which cannot tell near-end
 * or an open cover).
 */
export function gadgetPrinterRig(answersRealtime: boolean): PrinterRigFactory {
  const patienceMs = 20_000;
  const jobTimeoutMs = 10_000;
  return {
    name: `USB printer gadget, ${answersRealtime ? 'ESC/POS real-time status' : 'port status only'}`,
    patienceMs,
    jobTimeoutMs,
    conditions: answersRealtime ? ['paper-near-end', 'paper-out', 'cover-open'] : ['paper-out'],
    async create() {
      const gadget = new PrinterGadget({
        name: `printer${gadgets++}`,
        // An Epson id: the adapter must also take it by maker, but it is found by class here first.
        vendorId: 0x04b8,
        productId: 0x0e28,
        product: 'TM-T20III (HIL gadget)',
        answersRealtime,
        patienceMs,
      });
      await gadget.plug();
      const bus = await libusbPrinterBus();
      if (bus instanceof Error) throw bus;
      const printer = new UsbPrinter(bus, await libusbHotplug(), {
        jobTimeoutMs,
        pollMs: 200,
        settleMs: 200,
        // Under emulation an answer can take a while; a printer that never answers costs this once per read.
        answerTimeoutMs: answersRealtime ? 2000 : 300,
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
