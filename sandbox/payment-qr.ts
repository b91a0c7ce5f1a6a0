// The one-time payment QR of ePayment's `userFlow: "QR"` (API.md §3.1, ePayment 1.7.0 `qrFormat`): the
// create answers with `redirectUrl`, which is either the QR's target URL itself (`TEXT/TARGETURL`) or a
// link to a picture of the QR (`IMAGE/SVG+XML`, the default, or `IMAGE/PNG` of `size` pixels). Here the
// target URL is `<sandbox>/qr/p/<token>`: the phone page's "Scan" takes it, as the app's camera would.
// The pictures are public (`/qr-image/v1/<token>.svg|png`), as Vipps' links carry their own token.

import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { header, type Reply, type SandboxRequest } from './http.js';
import type { PaymentBook } from './payments.js';

export type QrFormat = 'TEXT/TARGETURL' | 'IMAGE/SVG+XML' | 'IMAGE/PNG';

/** Vipps' default when `qrFormat` is absent, and the PNG size when `size` is (ePayment 1.7.0). */
export const DEFAULT_QR_FORMAT: QrFormat = 'IMAGE/SVG+XML';
const DEFAULT_PNG_SIZE = 1024;

const TARGET_PATH = /^\/qr\/p\/([A-Za-z0-9_-]{16,64})$/;
const IMAGE_PATH = /^\/qr-image\/v1\/([A-Za-z0-9_-]{16,64})\.(svg|png)$/;

export function newQrToken(): string {
  return randomBytes(18).toString('base64url');
}

function origin(request: SandboxRequest): string {
  return `http://${header(request, 'host') ?? 'localhost'}`;
}

export function qrTargetUrl(request: SandboxRequest, token: string): string {
  return `${origin(request)}/qr/p/${token}`;
}

/** What the create answers as `redirectUrl` for a QR payment in the asked format. */
export function qrRedirectUrl(
  request: SandboxRequest,
  token: string,
  format: { format: QrFormat; size?: number | undefined } | undefined,
): string {
  switch (format?.format ?? DEFAULT_QR_FORMAT) {
    case 'TEXT/TARGETURL':
      return qrTargetUrl(request, token);
    case 'IMAGE/SVG+XML':
      return `${origin(request)}/qr-image/v1/${token}.svg`;
    case 'IMAGE/PNG':
      return `${origin(request)}/qr-image/v1/${token}.png?size=${format?.size ?? DEFAULT_PNG_SIZE}`;
  }
}

/** The token in a scanned target URL, whatever host the phone reached the sandbox by; null if it is none. */
export function qrTokenOf(targetUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return null;
  }
  return TARGET_PATH.exec(url.pathname)?.[1] ?? null;
}

/** `GET /qr-image/v1/<token>.svg|png`; undefined when the path is not a QR picture's. */
export async function serveQrImage(
  payments: PaymentBook,
  request: SandboxRequest,
): Promise<Reply | undefined> {
  const match = request.method === 'GET' ? IMAGE_PATH.exec(request.path) : null;
  if (match?.[1] === undefined) return undefined;
  const token = match[1];
  if (!payments.list().some((payment) => payment.qrToken === token)) {
    return { status: 404, body: 'No such QR code.', contentType: 'text/plain; charset=utf-8' };
  }
  const target = qrTargetUrl(request, token);
  if (match[2] === 'svg') {
    const svg = await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    return { status: 200, body: svg, contentType: 'image/svg+xml' };
  }
  const size = Number(request.query.get('size') ?? DEFAULT_PNG_SIZE);
  const width = Number.isInteger(size) && size >= 100 && size <= 2000 ? size : DEFAULT_PNG_SIZE;
  const png = await QRCode.toBuffer(target, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width });
  return { status: 200, body: png, contentType: 'image/png' };
}
