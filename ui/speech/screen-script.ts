import type { ScreenModel } from '../../contracts/screen-model.js';
import { formatMoney, secondsUntil } from '../base/format.js';
import type { Messages } from '../i18n/messages.js';

// What speech mode says when a screen appears (or the customer asks again): where they are, the amounts,
// what to do next, and the time left where a clock runs. Composed here from the catalog's `speech`
// section so every language says the same things; the daemon only speaks the text.

/** Letters and digits one by one ("HJK-479" → "H, J, K, 4, 7, 9"), so a code is heard as it is shown. */
export function spell(code: string): string {
  return [...code].filter((char) => /[\p{L}\p{N}]/u.test(char)).join(', ');
}

/** The last digits of a masked number ("47******67" → "6, 7"): all the screen shows of it. */
function numberEnding(masked: string): string {
  const digits = masked.replace(/\D/g, '');
  return spell(digits.slice(-2));
}

function timeLeft(t: Messages, deadline: number | null, now: number): string {
  if (deadline === null) return '';
  const seconds = secondsUntil(deadline, now);
  return ` ${t.speech.timeLeft(Math.floor(seconds / 60), seconds % 60)}`;
}

/** Attended mode: the POS's lines are on the screen, and the keys reach them first. */
function posLines(model: ScreenModel, t: Messages): string {
  return model.attended && model.basket.lines.length > 0 ? ` ${t.speech.posLines}` : '';
}

/** The screen's script; `now` is the daemon's clock (the model's `now` plus the time since). */
export function screenScript(model: ScreenModel, t: Messages, now = model.now): string {
  const s = t.speech;
  const money = (minor: number) => formatMoney(minor, model.currency, t.locale);
  if (model.idleWarning) return s.idle(secondsUntil(model.idleWarning.endsAt, now));
  return `${s.where[model.screen]} ${body(model, t, money, now)}`;
}

function body(model: ScreenModel, t: Messages, money: (minor: number) => string, now: number): string {
  const s = t.speech;
  const amount = money(model.payment?.amount ?? model.basket.total);
  switch (model.screen) {
    case 'attract':
      return s.attract;
    case 'basket':
      return model.basket.itemCount === 0
        ? s.basket.empty
        : `${s.basket.total(model.basket.itemCount, money(model.basket.total))} ${s.basket.next}`;
    case 'identify':
      return s.identify.next(amount) + posLines(model, t);
    case 'paying':
      return s.paying;
    case 'awaiting-approval': {
      const customer = model.payment?.customer ?? null;
      const said = s.awaitingApproval(amount, customer === null ? null : numberEnding(customer));
      // The one-time QR keeps the whole screen: no lines beside it (awaiting-approval.ts).
      return (
        said +
        timeLeft(t, model.payment?.expiresAt ?? null, now) +
        (model.payment?.qr ? '' : posLines(model, t))
      );
    }
    case 'cancelling':
      return s.cancelling;
    case 'capturing':
      return s.capturing;
    case 'approved':
      return model.receipt
        ? s.approved(money(model.receipt.total), spell(model.receipt.receiptNumber))
        : s.capturing;
    case 'declined':
      return `${s.declined.reasons[model.declined?.reason ?? 'refused']} ${s.declined.next}`;
    case 'unavailable':
      return s.unavailable;
    case 'maintenance':
      return s.maintenance;
    case 'club-checking':
      return s.club.checking;
    case 'club-offer': {
      const saves = model.club?.offerSavings ?? 0;
      return s.club.offer(saves > 0 ? money(saves) : null);
    }
    case 'club-consent': {
      const consent = model.club?.consent;
      if (!consent) return s.club.checking;
      const code = spell(consent.bindingMessage);
      const said = consent.notice ? s.club.notice[consent.notice](code) : s.club.consent(code);
      return said + timeLeft(t, consent.expiresAt, now);
    }
    case 'out-of-order':
      return s.outOfOrder;
    case 'staff':
      return s.staff;
  }
}
