// One test per createPayment rule: the valid body with exactly one thing wrong must be refused with the
// status and code Vipps uses, and nothing may be created.

import { describe, expect, it } from 'vitest';
import { asArray, expectProblem, type JsonObject, useSandbox, validPayment } from './helpers.js';

const vipps = useSandbox();

const receipt = (body: JsonObject) => body['receipt'] as JsonObject;
const firstLine = (body: JsonObject) => (receipt(body)['orderLines'] as JsonObject[])[0] as JsonObject;
const unitInfo = (body: JsonObject) => firstLine(body)['unitInfo'] as JsonObject;
const bottomLine = (body: JsonObject) => receipt(body)['bottomLine'] as JsonObject;
const amount = (body: JsonObject) => body['amount'] as JsonObject;
const customer = (body: JsonObject) => body['customer'] as JsonObject;

interface Rule {
  readonly rule: string;
  readonly breakIt: (body: JsonObject) => void;
  readonly status?: number;
  readonly errorCode?: string;
  readonly field?: string;
}

const RULES: readonly Rule[] = [
  { rule: 'amount is required', breakIt: (b) => delete b['amount'], field: 'amount' },
  { rule: 'paymentMethod is required', breakIt: (b) => delete b['paymentMethod'], field: 'paymentMethod' },
  { rule: 'reference is required', breakIt: (b) => delete b['reference'], field: 'reference' },
  { rule: 'userFlow is required', breakIt: (b) => delete b['userFlow'], field: 'userFlow' },
  { rule: 'amount is an object', breakIt: (b) => (b['amount'] = []), field: 'amount' },
  {
    rule: 'currency must be NOK, DKK or EUR',
    breakIt: (b) => (amount(b)['currency'] = 'SEK'),
    field: 'amount.currency',
  },
  {
    rule: "currency must be the sales unit's",
    breakIt: (b) => (amount(b)['currency'] = 'DKK'),
    errorCode: '5040',
  },
  { rule: 'amounts have no decimals', breakIt: (b) => (amount(b)['value'] = 249.5), errorCode: '4040' },
  { rule: 'amount is a number', breakIt: (b) => (amount(b)['value'] = '24900'), field: 'amount.value' },
  {
    rule: 'amount is at most 65000000',
    breakIt: (b) => (amount(b)['value'] = 65_000_001),
    field: 'amount.value',
  },
  { rule: 'amount is not negative', breakIt: (b) => (amount(b)['value'] = -100), field: 'amount.value' },
  { rule: 'a NOK payment is at least 100 øre', breakIt: (b) => (amount(b)['value'] = 99), errorCode: '6010' },
  {
    rule: 'reference has at least 8 characters',
    breakIt: (b) => (b['reference'] = 'k-7'),
    field: 'reference',
  },
  {
    rule: 'reference has at most 64 characters',
    breakIt: (b) => (b['reference'] = 'k'.repeat(65)),
    field: 'reference',
  },
  {
    rule: 'reference is letters, digits, dashes',
    breakIt: (b) => (b['reference'] = 'kiosk_07_0001'),
    field: 'reference',
  },
  {
    rule: 'paymentDescription has 3+ chars',
    breakIt: (b) => (b['paymentDescription'] = 'ok'),
    field: 'paymentDescription',
  },
  {
    rule: 'paymentDescription has at most 100 chars',
    breakIt: (b) => (b['paymentDescription'] = 'x'.repeat(101)),
    field: 'paymentDescription',
  },
  { rule: 'userFlow is a known flow', breakIt: (b) => (b['userFlow'] = 'SMS'), field: 'userFlow' },
  { rule: 'PUSH_MESSAGE needs a customer', breakIt: (b) => delete b['customer'], errorCode: '4140' },
  {
    rule: 'WEB_REDIRECT needs a returnUrl',
    breakIt: (b) => (b['userFlow'] = 'WEB_REDIRECT'),
    errorCode: '4140',
  },
  {
    rule: 'customer holds exactly one identifier',
    breakIt: (b) => (customer(b)['personalQr'] = 'https://qr.vipps.no/p/UKW7tX4psZtwVUayqIydBmIh'),
    field: 'customer',
  },
  { rule: 'customer is not empty', breakIt: (b) => (b['customer'] = {}), field: 'customer' },
  {
    rule: 'phoneNumber is a string',
    breakIt: (b) => (customer(b)['phoneNumber'] = 4791234567),
    errorCode: '4070',
  },
  {
    rule: 'phoneNumber has no +',
    breakIt: (b) => (customer(b)['phoneNumber'] = '+4791234567'),
    errorCode: '4070',
  },
  {
    rule: 'phoneNumber has 10+ digits',
    breakIt: (b) => (customer(b)['phoneNumber'] = '91234567'),
    errorCode: '4070',
  },
  {
    rule: 'phoneNumber is a test user',
    breakIt: (b) => (customer(b)['phoneNumber'] = '4799999999'),
    errorCode: '7010',
  },
  {
    rule: 'personalQr has 5+ characters',
    breakIt: (b) => (b['customer'] = { personalQr: 'qr' }),
    errorCode: '4060',
  },
  {
    rule: 'personalQr is a known code',
    breakIt: (b) => (b['customer'] = { personalQr: 'https://qr.vipps.no/p/not-a-user' }),
    errorCode: '4060',
  },
  {
    rule: 'personalQr is the complete code',
    breakIt: (b) => (b['customer'] = { personalQr: '4791234567' }),
    errorCode: '4060',
  },
  {
    rule: 'customerToken must be valid',
    breakIt: (b) => (b['customer'] = { customerToken: 'abc' }),
    errorCode: '4050',
  },
  {
    rule: 'customerInteraction is known',
    breakIt: (b) => (b['customerInteraction'] = 'PRESENT'),
    field: 'customerInteraction',
  },
  {
    rule: 'returnUrl is not http://',
    breakIt: (b) => (b['returnUrl'] = 'http://example.com/done'),
    errorCode: '4090',
  },
  { rule: 'returnUrl is a URL', breakIt: (b) => (b['returnUrl'] = 'thanks'), errorCode: '4090' },
  {
    rule: 'metadata has at most 5 pairs',
    breakIt: (b) => (b['metadata'] = { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }),
    errorCode: '4100',
  },
  {
    rule: 'metadata keys are <= 100 chars',
    breakIt: (b) => (b['metadata'] = { ['k'.repeat(101)]: 'v' }),
    errorCode: '4120',
  },
  {
    rule: 'metadata values are <= 500 chars',
    breakIt: (b) => (b['metadata'] = { k: 'v'.repeat(501) }),
    errorCode: '4130',
  },
  { rule: 'metadata values are strings', breakIt: (b) => (b['metadata'] = { k: 7 }), field: 'metadata.k' },
  {
    rule: 'receipt has order lines',
    breakIt: (b) => (receipt(b)['orderLines'] = []),
    field: 'receipt.orderLines',
  },
  {
    rule: 'receipt has a bottomLine',
    breakIt: (b) => delete receipt(b)['bottomLine'],
    field: 'receipt.bottomLine',
  },
  {
    rule: 'an order line has a name',
    breakIt: (b) => delete firstLine(b)['name'],
    field: 'receipt.orderLines[0].name',
  },
  {
    rule: 'an order line has an id',
    breakIt: (b) => delete firstLine(b)['id'],
    field: 'receipt.orderLines[0].id',
  },
  {
    rule: 'an order line has a totalTaxAmount',
    breakIt: (b) => delete firstLine(b)['totalTaxAmount'],
    field: 'receipt.orderLines[0].totalTaxAmount',
  },
  {
    rule: 'an order line has taxRate or taxPercentage',
    breakIt: (b) => delete firstLine(b)['taxRate'],
    field: 'receipt.orderLines[0].taxRate',
  },
  {
    rule: 'taxRate is 0..10000',
    breakIt: (b) => (firstLine(b)['taxRate'] = 10_001),
    field: 'receipt.orderLines[0].taxRate',
  },
  {
    rule: 'taxPercentage is 0..100',
    breakIt: (b) => Object.assign(firstLine(b), { taxRate: undefined, taxPercentage: 125 }),
    field: 'receipt.orderLines[0].taxPercentage',
  },
  {
    rule: 'excluding tax + tax = total',
    breakIt: (b) => (firstLine(b)['totalTaxAmount'] = 979),
    field: 'receipt.orderLines[0].totalAmount',
  },
  {
    rule: 'quantity is digits with an optional decimal point',
    breakIt: (b) => (unitInfo(b)['quantity'] = '1,5'),
    field: 'receipt.orderLines[0].unitInfo.quantity',
  },
  {
    rule: 'quantity has at most 10 characters',
    breakIt: (b) => (unitInfo(b)['quantity'] = '12345.67890'),
    field: 'receipt.orderLines[0].unitInfo.quantity',
  },
  {
    rule: 'quantityUnit is known',
    breakIt: (b) => (unitInfo(b)['quantityUnit'] = 'BOX'),
    field: 'receipt.orderLines[0].unitInfo.quantityUnit',
  },
  {
    rule: 'bottomLine.currency is required',
    breakIt: (b) => delete bottomLine(b)['currency'],
    field: 'receipt.bottomLine.currency',
  },
  {
    rule: "bottomLine.currency is the payment's",
    breakIt: (b) => (bottomLine(b)['currency'] = 'EUR'),
    field: 'receipt.bottomLine.currency',
  },
  {
    rule: 'order lines add up to the amount',
    breakIt: (b) => (amount(b)['value'] = 25_000),
    field: 'receipt.orderLines',
  },
  {
    rule: 'misspelt fields are not ignored',
    breakIt: (b) => (b['receiptInfo'] = b['receipt']),
    field: 'receiptInfo',
  },
  {
    rule: 'no long-living payments',
    breakIt: (b) => (b['expiresAt'] = '2030-01-01T12:00:00Z'),
    errorCode: '5050',
  },
  {
    rule: 'no card payments in test',
    breakIt: (b) => (b['paymentMethod'] = { type: 'CARD' }),
    field: 'paymentMethod.type',
  },
  {
    rule: 'no blocked sources in Norway',
    breakIt: (b) => (b['paymentMethod'] = { type: 'WALLET', blockedSources: ['COMMERCIAL_CARDS'] }),
    errorCode: '5010',
  },
  {
    rule: 'profile scopes are known',
    breakIt: (b) => (b['profile'] = { scope: 'name shoeSize' }),
    errorCode: '4080',
  },
];

describe('createPayment rejects', () => {
  it.each(RULES)('$rule', async ({ breakIt, status = 400, errorCode, field }) => {
    const body = validPayment();
    breakIt(body);
    const answer = await vipps().createPayment(JSON.parse(JSON.stringify(body)));
    expectProblem(answer, status, errorCode === undefined ? { field } : { errorCode });
    expect(asArray((await vipps().control('GET', '/payments')).body)).toEqual([]);
  });

  it('a body that is not a JSON object', async () => {
    expectProblem(await vipps().createPayment([validPayment()]), 400, { field: 'body' });
  });

  it('reports every invalid field in one answer', async () => {
    const body = validPayment();
    body['reference'] = 'short';
    body['paymentDescription'] = 'x';
    const problem = expectProblem(await vipps().createPayment(body), 400, { field: 'reference' });
    expect(problem['extraDetails']).toContainEqual(expect.objectContaining({ name: 'paymentDescription' }));
  });
});

describe('createPayment accepts', () => {
  it('the full receipt with returns, tips, deprecated fields and a custom-scheme returnUrl', async () => {
    const body = validPayment();
    body['returnUrl'] = 'vipps-kiosk://done';
    receipt(body)['orderLines'] = [
      ...(receipt(body)['orderLines'] as JsonObject[]),
      {
        name: 'Returned mug',
        id: 'mug-9',
        totalAmount: 5_000,
        totalAmountExcludingTax: 4_000,
        totalTaxAmount: 1_000,
        taxPercentage: 25,
        isReturn: true,
        discount: null,
      },
    ];
    Object.assign(bottomLine(body), {
      tipAmount: 5_000,
      terminalId: null,
      barcode: { format: 'EAN-13', data: '1' },
    });
    expect((await vipps().createPayment(body)).status).toBe(201);
  });

  it('a personal QR code of either version, resolved to its customer', async () => {
    const [kari, ola] = vipps().sandbox.customers;
    for (const code of [kari?.personalQrV1, ola?.personalQrV2]) {
      const body = validPayment();
      body['customer'] = { personalQr: code };
      expect((await vipps().createPayment(body)).status).toBe(201);
    }
    const payments = asArray((await vipps().control('GET', '/payments')).body) as JsonObject[];
    expect(payments.map((payment) => payment['customer'])).toEqual([kari?.msisdn, ola?.msisdn]);
  });
});
