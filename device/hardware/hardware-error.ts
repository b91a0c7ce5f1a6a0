/** A hardware set-up problem, worded for the field tech who has to fix it at the kiosk. */
export class HardwareError extends Error {
  override readonly name = 'HardwareError';
}
