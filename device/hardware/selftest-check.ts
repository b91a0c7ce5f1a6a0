/** One line of `vipps-kiosk selftest`: hardware checks here, system checks (Vipps, broker, disk, clock) elsewhere. */
export interface SelftestCheck {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
}
