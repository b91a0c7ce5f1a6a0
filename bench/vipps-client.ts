import { Client as SdkClient } from '@vippsmobilepay/sdk';
import { Agent, type Dispatcher, getGlobalDispatcher, Pool, setGlobalDispatcher } from 'undici';
import { silentLogger } from '../common/log/logger.js';
import type { CreatePaymentRequest } from '../contracts/vipps-types.js';
import { VippsClient } from '../device/vipps/client.js';
import { operationKey } from '../device/vipps/request-rules.js';
import { startSandboxProcess } from './sandbox-process.js';
import { ms, percentile, table } from './stats.js';

// Checkout-shaped round trips (create, get, capture) from three callers to the sandbox on loopback,
// interleaved in one run so the machine's mood affects all alike:
//   raw  — a bare undici request with ready-made headers: the floor, what the network and server cost
//   ours — the kiosk's VippsClient
//   sdk  — the official @vippsmobilepay/sdk making the same calls
// Per-call overhead = a client's median minus raw's median for the same call.

type Op = 'create' | 'get' | 'capture';
type Caller = 'raw' | 'ours' | 'sdk';
const OPS: Op[] = ['create', 'get', 'capture'];
const CALLERS: Caller[] = ['raw', 'ours', 'sdk'];

export interface ClientBenchResult {
  checkouts: number;
  lines: string;
  /** ours' median overhead over raw divided by the SDK's, averaged over the three calls. */
  overheadRatio: number;
}

function body(reference: string, msisdn: string): CreatePaymentRequest {
  return {
    amount: { currency: 'NOK', value: 4990 },
    paymentMethod: { type: 'WALLET' },
    customer: { phoneNumber: msisdn },
    customerInteraction: 'CUSTOMER_PRESENT',
    reference,
    userFlow: 'PUSH_MESSAGE',
    paymentDescription: 'Benchmark: 1 vare',
    receipt: {
      orderLines: [
        {
          name: 'Kaffe 250 g',
          id: '2000000000039',
          totalAmount: 4990,
          totalAmountExcludingTax: 4339,
          totalTaxAmount: 651,
          taxRate: 1500,
          unitInfo: { unitPrice: 4990, quantity: '1', quantityUnit: 'PCS' },
        },
      ],
      bottomLine: { currency: 'NOK', posId: 'bench', receiptNumber: '1' },
    },
  };
}

/** Sends every request the SDK makes to https://apitest.vipps.no to the sandbox instead. */
class RedirectDispatcher extends Agent {
  constructor(private readonly origin: string) {
    super({ keepAliveTimeout: 30_000 });
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch({ ...options, origin: this.origin }, handler);
  }
}

export async function benchVippsClient(checkouts: number, warmup = 30): Promise<ClientBenchResult> {
  const sandbox = await startSandboxProcess();
  const { credentials } = sandbox;
  const msisdn = sandbox.customers[0]!.msisdn;
  const system = {
    systemName: 'vipps-kiosk',
    systemVersion: 'bench',
    pluginName: 'vipps-kiosk-rpi',
    pluginVersion: 'bench',
  };

  const ours = new VippsClient({
    baseUrl: sandbox.url,
    credentials,
    system,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    timeouts: { connectMs: 2000, tokenMs: 5000, createMs: 5000, readMs: 5000, modifyMs: 5000, qrMs: 5000 },
    tokenRefreshMarginMs: 60_000,
    logger: silentLogger,
  });
  const previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new RedirectDispatcher(sandbox.url));
  const sdk = SdkClient({
    merchantSerialNumber: credentials.merchantSerialNumber,
    subscriptionKey: credentials.subscriptionKey,
    useTestMode: true,
    retryRequests: false,
    systemName: system.systemName,
    systemVersion: system.systemVersion,
    pluginName: system.pluginName,
    pluginVersion: system.pluginVersion,
  });
  const sdkToken = await sdk.auth.getToken(credentials.clientId, credentials.clientSecret);
  if (!sdkToken.ok) throw new Error(`SDK could not get a token: ${JSON.stringify(sdkToken.error)}`);
  const token = sdkToken.data.access_token;
  await ours.token.get();

  const raw = new Pool(sandbox.url, { connections: 8, keepAliveTimeout: 30_000 });
  const rawHeaders = {
    authorization: `Bearer ${token}`,
    'ocp-apim-subscription-key': credentials.subscriptionKey,
    'merchant-serial-number': credentials.merchantSerialNumber,
    'content-type': 'application/json',
  };
  const rawCall = async (method: 'GET' | 'POST', path: string, key: string | null, payload?: unknown) => {
    const res = await raw.request({
      method,
      path,
      headers: key ? { ...rawHeaders, 'idempotency-key': key } : rawHeaders,
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`raw ${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as unknown;
  };
  const sdkCall = async <T>(result: Promise<{ ok: boolean; error?: unknown; data?: T }>) => {
    const answer = await result;
    if (!answer.ok) throw new Error(`sdk: ${JSON.stringify(answer.error)}`);
    return answer.data as T;
  };

  const calls: Record<Caller, Record<Op, (reference: string) => Promise<unknown>>> = {
    raw: {
      create: (ref) =>
        rawCall('POST', '/epayment/v1/payments', operationKey(ref, 'create'), body(ref, msisdn)),
      get: (ref) => rawCall('GET', `/epayment/v1/payments/${ref}`, null),
      capture: (ref) =>
        rawCall('POST', `/epayment/v1/payments/${ref}/capture`, operationKey(ref, 'capture-1'), {
          modificationAmount: { currency: 'NOK', value: 4990 },
        }),
    },
    ours: {
      create: (ref) => ours.epayment.createPayment(body(ref, msisdn), operationKey(ref, 'create')),
      get: (ref) => ours.epayment.getPayment(ref),
      capture: (ref) =>
        ours.epayment.capture(ref, { currency: 'NOK', value: 4990 }, operationKey(ref, 'capture-1')),
    },
    sdk: {
      create: (ref) => sdkCall(sdk.payment.create(token, body(ref, msisdn) as never)),
      get: (ref) => sdkCall(sdk.payment.info(token, ref)),
      capture: (ref) =>
        sdkCall(sdk.payment.capture(token, ref, { modificationAmount: { currency: 'NOK', value: 4990 } })),
    },
  };

  const samples: Record<Caller, Record<Op, number[]>> = {
    raw: { create: [], get: [], capture: [] },
    ours: { create: [], get: [], capture: [] },
    sdk: { create: [], get: [], capture: [] },
  };
  const busy: Record<Caller, number> = { raw: 0, ours: 0, sdk: 0 };
  const approve = (ref: string) =>
    fetch(`${sandbox.url}/_sandbox/payments/${ref}/approve`, { method: 'POST' }).then((r) => r.text());
  const runId = Date.now().toString(36);

  for (let i = 0; i < warmup + checkouts; i++) {
    // Rotate who goes first so no caller always meets a cold or a warm server.
    const order = CALLERS.map((_, k) => CALLERS[(i + k) % CALLERS.length]!);
    for (const caller of order) {
      const ref = `bench-${runId}-${caller}-${i}`;
      for (const op of OPS) {
        if (op === 'capture') await approve(ref);
        const started = performance.now();
        await calls[caller][op](ref);
        const elapsed = performance.now() - started;
        if (i >= warmup) {
          samples[caller][op].push(elapsed);
          busy[caller] += elapsed;
        }
      }
    }
  }

  await ours.stop();
  await raw.close();
  setGlobalDispatcher(previousDispatcher);
  await sandbox.stop();

  const rows: string[][] = [['call', 'caller', 'p50', 'p99', 'overhead p50 vs raw']];
  const ratios: number[] = [];
  for (const op of OPS) {
    const floor = percentile(samples.raw[op], 50);
    const overhead = (caller: Caller) => percentile(samples[caller][op], 50) - floor;
    for (const caller of CALLERS) {
      rows.push([
        op,
        caller,
        ms(percentile(samples[caller][op], 50)),
        ms(percentile(samples[caller][op], 99)),
        caller === 'raw' ? '—' : ms(overhead(caller)),
      ]);
    }
    ratios.push(Math.max(0, overhead('ours')) / Math.max(1e-3, overhead('sdk')));
  }
  const throughput = (caller: Caller) => ((checkouts * OPS.length) / (busy[caller] / 1000)).toFixed(0);
  const overheadRatio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const lines = [
    table(rows),
    '',
    `throughput (sequential calls/s): raw ${throughput('raw')}, ours ${throughput('ours')}, sdk ${throughput('sdk')}`,
    `overhead ratio ours/sdk (median overhead over raw, mean of create/get/capture): ${overheadRatio.toFixed(2)}` +
      `  — target ≤ 0.50: ${overheadRatio <= 0.5 ? 'met' : 'NOT met'}`,
  ].join('\n');
  return { checkouts, lines, overheadRatio };
}
