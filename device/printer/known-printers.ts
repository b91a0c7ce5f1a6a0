/** The USB printer class (interface class 7): bulk OUT for the job, bulk IN on bidirectional printers. */
export const USB_PRINTER_CLASS = 7;
/** Interface class of printers that do not say they are printers (many 58 mm units from China). */
const VENDOR_SPECIFIC_CLASS = 0xff;

/**
 * Makers of ESC/POS receipt printers. A printer-class interface of any maker is taken; these makers'
 * vendor-specific interfaces with a bulk OUT endpoint are taken too. The udev rule
 * (systemd/70-vipps-kiosk.rules) names the same makers: add a maker to both.
 */
export const KNOWN_PRINTER_VENDORS: ReadonlyArray<{ vendorId: number; name: string }> = [
  { vendorId: 0x04b8, name: 'Epson' },
  { vendorId: 0x0519, name: 'Star Micronics' },
  { vendorId: 0x0416, name: 'Winbond-based 58/80 mm (Xprinter, Rongta, …)' },
  { vendorId: 0x0483, name: 'STMicroelectronics-based 58 mm' },
  { vendorId: 0x1fc9, name: 'NXP-based 58/80 mm' },
  { vendorId: 0x28e9, name: 'GigaDevice-based 58 mm' },
];

/** One USB interface that could be a receipt printer, as read from its descriptors. */
export interface UsbPrinterCandidate {
  vendorId: number;
  productId: number;
  /** The product string when it could be read ("TM-T20III"), else null. */
  product: string | null;
  interfaceNumber: number;
  interfaceClass: number;
  /** Printer class protocol: 1 unidirectional, 2 bidirectional, 3 IEEE 1284.4. */
  protocol: number;
  outEndpoint: number;
  /** The bulk IN endpoint's address; null on a printer that cannot answer (unidirectional). */
  inEndpoint: number | null;
  busNumber: number;
  deviceAddress: number;
}

const hex = (id: number) => id.toString(16).padStart(4, '0');

/** "Epson TM-T20III (04b8:0e28)": for staff, HQ and the selftest. */
export function describePrinter(p: Pick<UsbPrinterCandidate, 'vendorId' | 'productId' | 'product'>): string {
  const maker = KNOWN_PRINTER_VENDORS.find((v) => v.vendorId === p.vendorId)?.name.split(' ')[0];
  const name = [maker, p.product].filter(Boolean).join(' ') || 'USB printer';
  return `${name} (${hex(p.vendorId)}:${hex(p.productId)})`;
}

export function isPrinterLike(c: UsbPrinterCandidate): boolean {
  return (
    c.interfaceClass === USB_PRINTER_CLASS ||
    (c.interfaceClass === VENDOR_SPECIFIC_CLASS &&
      KNOWN_PRINTER_VENDORS.some((v) => v.vendorId === c.vendorId))
  );
}

/**
 * Which interface is the receipt printer: the configured vendor/product if given (and nothing else),
 * else the first printer-class interface, else a known maker's vendor-specific one.
 */
export function choosePrinter(
  candidates: readonly UsbPrinterCandidate[],
  wanted: { vendorId?: number | undefined; productId?: number | undefined },
): UsbPrinterCandidate | null {
  const printers = candidates.filter(isPrinterLike);
  if (wanted.vendorId !== undefined) {
    return (
      printers.find(
        (c) =>
          c.vendorId === wanted.vendorId &&
          (wanted.productId === undefined || c.productId === wanted.productId),
      ) ?? null
    );
  }
  return printers.find((c) => c.interfaceClass === USB_PRINTER_CLASS) ?? printers[0] ?? null;
}
