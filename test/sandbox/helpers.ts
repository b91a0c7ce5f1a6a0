// Talks to a running sandbox over real HTTP the way a careful client would, so each test only spells out
// the one thing it changes.

import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type RunningSandbox, type StartSandboxOptions, startSandbox } from '../../sandbox/index.js';
import { paymentRequest } from '../support/vipps-receipt.js';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  /** Parsed JSON when the body is JSON, else the text. */
  readonly body: unknown;
}

export type JsonObject = Record<string, unknown>;

export interface SendOptions {
  /** A JSON value, or a string sent as is. */
  body?: unknown;
  /** Replaces or adds headers; `null` removes one of the defaults. */
  headers?: Record<string, string | null>;
  signal?: AbortSignal;
}

export async function request(url: string, method: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {}))
    if (value !== null) headers[name] = value;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const response = await fetch(url, { method, headers, body, signal: options.signal });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    contentType,
    body: contentType.includes('json') && text !== '' ? JSON.parse(text) : text,
  };
}

export function asObject(value: unknown): JsonObject {
  expect(value).toBeTypeOf('object');
  expect(Array.isArray(value)).toBe(false);
  return value as JsonObject;
}

export function asArray(value: unknown): unknown[] {
  expect(Array.isArray(value)).toBe(true);
  return value as unknown[];
}

let serial = 0;
/** A fresh reference per payment, as the kiosk makes one per attempt. */
export function newReference(): string {
  serial += 1;
  return `kiosk07-test-${Date.now().toString(36)}-${serial}`;
}

export const TOTAL = 24_900;

/** A createPayment body the real API accepts: PUSH_MESSAGE to a test user, with a receipt that adds up. */
export function validPayment(reference = newReference()): JsonObject {
  return {
    ...paymentRequest({ reference, receiptNumber: '0001', paymentDescription: 'Kiosk 7 - 2 items' }),
    metadata: { kioskId: '07' },
  };
}

/** A client for one sandbox with a token and every header Vipps wants. */
export class VippsTestClient {
  private token = '';

  constructor(readonly sandbox: RunningSandbox) {}

  async authenticate(): Promise<void> {
    const { credentials, url } = this.sandbox;
    const answer = await request(`${url}/accesstoken/get`, 'POST', {
      headers: {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    expect(answer.status).toBe(200);
    this.token = String(asObject(answer.body)['access_token']);
  }

  headers(): Record<string, string> {
    return {
      Authorization: `Bearer ${this.token}`,
      'Ocp-Apim-Subscription-Key': this.sandbox.credentials.subscriptionKey,
      'Merchant-Serial-Number': this.sandbox.credentials.merchantSerialNumber,
      'Vipps-System-Name': 'vipps-kiosk',
      'Vipps-System-Version': '0.1.0',
      'Vipps-System-Plugin-Name': 'vipps-kiosk-rpi',
      'Vipps-System-Plugin-Version': '0.1.0',
      'Content-Type': 'application/json',
    };
  }

  send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    return request(`${this.sandbox.url}${path}`, method, {
      ...options,
      headers: { ...this.headers(), ...options.headers },
    });
  }

  createPayment(body: unknown, idempotencyKey = `${Math.random()}`.slice(2)): Promise<Answer> {
    return this.send('POST', '/epayment/v1/payments', {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  /** Creates a valid payment and returns its reference, failing the test if Vipps would refuse it. */
  async created(body: JsonObject = validPayment()): Promise<string> {
    const answer = await this.createPayment(body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return String(body['reference']);
  }

  /** A created payment the customer has approved on the phone. */
  async authorized(body: JsonObject = validPayment()): Promise<string> {
    const reference = await this.created(body);
    const answer = await this.control('POST', `/payments/${reference}/approve`);
    expect(answer.status).toBe(200);
    return reference;
  }

  getPayment(reference: string): Promise<Answer> {
    return this.send('GET', `/epayment/v1/payments/${reference}`);
  }

  async payment(reference: string): Promise<JsonObject> {
    const answer = await this.getPayment(reference);
    expect(answer.status).toBe(200);
    return asObject(answer.body);
  }

  modify(
    reference: string,
    operation: 'capture' | 'refund' | 'cancel',
    body?: unknown,
    idempotencyKey: string | null = `${operation}-${Math.random()}`.slice(0, 40),
  ): Promise<Answer> {
    return this.send('POST', `/epayment/v1/payments/${reference}/${operation}`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  control(method: string, path: string, body?: unknown): Promise<Answer> {
    return request(`${this.sandbox.url}/_sandbox${path}`, method, {
      body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
  }
}

export const nok = (value: number) => ({ currency: 'NOK', value });

export function aggregate(authorized: number, captured: number, cancelled: number, refunded: number) {
  return {
    authorizedAmount: nok(authorized),
    cancelledAmount: nok(cancelled),
    capturedAmount: nok(captured),
    refundedAmount: nok(refunded),
  };
}

export interface ProblemExpectation {
  errorCode?: string;
  /** A field (or header) the validation problem must name in extraDetails. */
  field?: string;
}

/** An RFC 7807 ePayment problem: content type, the required members, a traceparent-like traceId. */
export function expectProblem(answer: Answer, status: number, expected: ProblemExpectation = {}): JsonObject {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  const problem = asObject(answer.body);
  expect(problem).toMatchObject({ type: `https://httpstatuses.io/${status}`, status });
  expect(problem['title']).toBeTypeOf('string');
  expect(problem['detail']).toBeTypeOf('string');
  expect(problem['instance']).toBeTypeOf('string');
  expect(problem['traceId']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const details = (problem['extraDetails'] ?? []) as Array<{ name: string; reason: string }>;
  const codes = details.filter((detail) => detail.name === 'ErrorCode').map((detail) => detail.reason);
  expect(codes).toEqual(expected.errorCode === undefined ? [] : [expected.errorCode]);
  if (expected.field !== undefined) expect(details.map((detail) => detail.name)).toContain(expected.field);
  return problem;
}

/**
 * Starts one sandbox for the test file and gives every test a clean slate (no payments, faults or
 * rate-limit history) with a fresh token.
 */
export function useSandbox(options: StartSandboxOptions = {}): () => VippsTestClient {
  let client: VippsTestClient | undefined;
  beforeAll(async () => {
    client = new VippsTestClient(await startSandbox(options));
  });
  afterAll(async () => {
    await client?.sandbox.close();
  });
  beforeEach(async () => {
    const current = use();
    expect((await current.control('POST', '/reset')).status).toBe(204);
    await current.authenticate();
  });
  const use = (): VippsTestClient => {
    if (client === undefined) throw new Error('the sandbox is not started yet');
    return client;
  };
  return use;
}
