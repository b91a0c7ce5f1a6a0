import QRCode from 'qrcode';
import type { QrPicture } from '../../contracts/screen-model.js';

/** The four-module margin a QR code needs around it to be found by a phone's camera (ISO/IEC 18004). */
const QUIET_ZONE = 4;

/**
 * The one-time payment QR for the screen, drawn in the daemon from the target URL Vipps returned
 * (qrFormat TEXT/TARGETURL): the screen gets one path of unit squares and draws it as SVG, so no picture
 * or markup from outside the kiosk reaches it, and it is sharp at any size. Each run of dark modules in
 * a row is one rectangle. Error correction M, as Vipps' own payment QR codes and the house's other QRs.
 */
export function qrPicture(targetUrl: string): QrPicture {
  const { modules } = QRCode.create(targetUrl, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let run = 0;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && Boolean(modules.get(row, column));
      if (dark) {
        run++;
        continue;
      }
      if (run > 0) {
        parts.push(`M${column - run + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
        run = 0;
      }
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: parts.join('') };
}
