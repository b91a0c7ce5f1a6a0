// The SandboxControl helpers other tests use to switch the sandbox, each checked against its effect.

import { describe, expect, it } from 'vitest';
import { SandboxControl } from '../support/sandbox-control.js';
import { expectProblem, nok, TOTAL, useSandbox, validPayment } from './helpers.js';

const vipps = useSandbox();
const control = () => new SandboxControl(vipps().sandbox);

describe('SandboxControl switches', () => {
  it('refuse, failApproval and the payment view', async () => {
    const reference = await vipps().created();
    await control().failApproval(reference);
    await control().act(reference, 'approve');
    await control().refuse(reference, '6280', { count: 1 });
    expect((await control().payment(reference)).refusals).toEqual([
      { answer: '6280', operations: ['capture'], count: 1 },
    ]);
    const body = { modificationAmount: nok(TOTAL) };
    expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 400, { errorCode: '6280' });
    expect((await vipps().modify(reference, 'capture', body, 'capture-1')).status).toBe(200);
    const payment = await control().payment(reference);
    expect(payment.merchantSerialNumber).toBe(vipps().sandbox.credentials.merchantSerialNumber);
    expect(payment.events.map((event) => `${event.name}:${event.success}`)).toEqual([
      'CREATED:true',
      'AUTHORIZED:false',
      'AUTHORIZED:true',
      'CAPTURED:false',
      'CAPTURED:true',
    ]);
  });

  it('salesUnit and rememberRetryLater', async () => {
    await control().salesUnit(vipps().sandbox.credentials.merchantSerialNumber, { pushMessage: false });
    expectProblem(await vipps().createPayment(validPayment()), 403, { errorCode: '5080' });
    await control().rememberRetryLater(false);
    expect((await vipps().control('GET', '/idempotency')).body).toEqual({ rememberRetryLater: false });
  });

  it('refuseLogin and webhooks', async () => {
    await control().refuseLogin('4791234567', '429', { retryAfter: 7 });
    await control().webhooks({ retryDate: 'original', retryMs: [10] });
    expect((await vipps().control('GET', '/webhooks')).body).toMatchObject({
      retryDate: 'original',
      retryMs: [10],
    });
    await expect(control().refuseLogin('4791234567', 'nope' as 'old_app')).rejects.toThrow(/400/);
  });
});
