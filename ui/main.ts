import { KioskApp } from './kiosk-app.js';
import { BasketLines } from './parts/basket-lines.js';
import { DemoPanel } from './parts/demo-panel.js';
import { DigitPad } from './parts/digit-pad.js';
import { IdleWarning } from './parts/idle-warning.js';
import { LanguagePicker } from './parts/language-picker.js';
import { PaperStrip } from './parts/paper-strip.js';
import { PhoneKeypad } from './parts/phone-keypad.js';
import { ScanToast } from './parts/scan-toast.js';
import { StaffReceipt } from './parts/staff-receipt.js';
import { ThemeToggle } from './parts/theme-toggle.js';
import { ApprovedScreen } from './screens/approved.js';
import { AttractScreen } from './screens/attract.js';
import { AwaitingApprovalScreen } from './screens/awaiting-approval.js';
import { BasketScreen, UnavailableScreen } from './screens/basket.js';
import { CancellingScreen, CapturingScreen, PayingScreen } from './screens/busy.js';
import { ClubCheckingScreen, ClubConsentScreen, ClubOfferScreen } from './screens/club.js';
import { DeclinedScreen } from './screens/declined.js';
import { IdentifyScreen } from './screens/identify.js';
import { MaintenanceScreen } from './screens/maintenance.js';
import { OutOfOrderScreen } from './screens/out-of-order.js';
import { StaffScreen } from './screens/staff-mode.js';
import { StaffReturnPick } from './screens/staff-return.js';

// Registered in one place, children before the app, so the first render already has every element.
const ELEMENTS: ReadonlyArray<[string, CustomElementConstructor]> = [
  ['basket-lines', BasketLines],
  ['phone-keypad', PhoneKeypad],
  ['idle-warning', IdleWarning],
  ['scan-toast', ScanToast],
  ['language-picker', LanguagePicker],
  ['theme-toggle', ThemeToggle],
  ['demo-panel', DemoPanel],
  ['digit-pad', DigitPad],
  ['staff-receipt', StaffReceipt],
  ['staff-return-pick', StaffReturnPick],
  ['paper-strip', PaperStrip],
  ['screen-attract', AttractScreen],
  ['screen-basket', BasketScreen],
  ['screen-identify', IdentifyScreen],
  ['screen-paying', PayingScreen],
  ['screen-awaiting-approval', AwaitingApprovalScreen],
  ['screen-cancelling', CancellingScreen],
  ['screen-capturing', CapturingScreen],
  ['screen-approved', ApprovedScreen],
  ['screen-declined', DeclinedScreen],
  ['screen-unavailable', UnavailableScreen],
  ['screen-maintenance', MaintenanceScreen],
  ['screen-club-checking', ClubCheckingScreen],
  ['screen-club-offer', ClubOfferScreen],
  ['screen-club-consent', ClubConsentScreen],
  ['screen-out-of-order', OutOfOrderScreen],
  ['screen-staff', StaffScreen],
  ['kiosk-app', KioskApp],
];

for (const [name, element] of ELEMENTS) customElements.define(name, element);

// A long press on a touch screen opens Chromium's context menu, even in kiosk mode.
addEventListener('contextmenu', (event) => event.preventDefault());
