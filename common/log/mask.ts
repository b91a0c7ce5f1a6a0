/** `4791234567` -> `47******67`: enough for a field tech to tell customers apart, not to call them. */
export function maskMsisdn(msisdn: string): string {
  const digits = msisdn.replace(/\D/g, '');
  if (digits.length < 6) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

const PHONE_RUN = /(?<!\d)\d{8,15}(?!\d)/g;
const VIPPS_QR_TOKEN = /(https:\/\/qr\.vipps\.no\/p\/)[^\s"']+/g;

/**
 * Masks anything that looks like a phone number or a personal QR token in free text, so a log line
 * can carry a URL or an upstream message without leaking who paid.
 */
export function maskPersonalData(text: string): string {
  return text.replace(VIPPS_QR_TOKEN, '$1…').replace(PHONE_RUN, (run) => maskMsisdn(run));
}
