import type { QrExchangeResponse } from '../../contracts/vipps-types.js';
import { checkAnswer, qrExchangeShape } from './answer-shapes.js';
import type { BearerTokenSource, VippsHttp } from './http.js';

/**
 * Personal QR -> MSISDN. MobilePay codes are tokenized and Vipps codes will be, so the kiosk never
 * reads a phone number out of the code itself; it sends the whole scanned text.
 */
export class QrExchangeApi {
  private readonly http: VippsHttp;
  private readonly token: BearerTokenSource;
  private readonly timeoutMs: number;

  constructor(http: VippsHttp, token: BearerTokenSource, timeoutMs: number) {
    this.http = http;
    this.token = token;
    this.timeoutMs = timeoutMs;
  }

  async exchange(qrCode: string): Promise<QrExchangeResponse> {
    const operation = { name: 'personal QR exchange' };
    const answer = await this.http.send<unknown>({
      operation,
      method: 'POST',
      path: '/qr/v1/exchange',
      body: { qrCode, requestedData: ['MSISDN'] },
      timeoutMs: this.timeoutMs,
      mutating: false,
      bearer: this.token,
    });
    return checkAnswer<QrExchangeResponse>(qrExchangeShape, answer, operation, false);
  }
}
