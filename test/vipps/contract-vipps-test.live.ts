import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ContractTarget, contractClient, forceApprover, vippsContract } from './contract.js';

// The same contract against the real Vipps MobilePay test environment (apitest.vipps.no), run by
// `npm run test:vipps-live` with a sales unit's test keys in the environment. Its test user must have
// approved one payment in the MT app once, or force approve answers 500. Without the keys the suite fails
// (a run that proves nothing must not look green).
const REQUIRED = [
  'VIPPS_TEST_CLIENT_ID',
  'VIPPS_TEST_CLIENT_SECRET',
  'VIPPS_TEST_SUBSCRIPTION_KEY',
  'VIPPS_TEST_MSN',
  'VIPPS_TEST_MSISDN',
] as const;
const missing = REQUIRED.filter((name) => !process.env[name]);

if (missing.length > 0) {
  describe('Vipps contract: real test environment', () => {
    it('has the test keys it needs', () => {
      throw new Error(
        `the live Vipps suite needs a sales unit's test keys: set ${missing.join(', ')} ` +
          '(optionally VIPPS_TEST_BASE_URL and VIPPS_TEST_CURRENCY) and run npm run test:vipps-live again',
      );
    });
  });
} else {
  let target: ContractTarget;
  beforeAll(() => {
    const env = process.env as Record<(typeof REQUIRED)[number], string>;
    const baseUrl = process.env.VIPPS_TEST_BASE_URL ?? 'https://apitest.vipps.no';
    const credentials = {
      clientId: env.VIPPS_TEST_CLIENT_ID,
      clientSecret: env.VIPPS_TEST_CLIENT_SECRET,
      subscriptionKey: env.VIPPS_TEST_SUBSCRIPTION_KEY,
      merchantSerialNumber: env.VIPPS_TEST_MSN,
    };
    const client = contractClient(baseUrl, credentials);
    target = {
      client,
      currency: (process.env.VIPPS_TEST_CURRENCY as ContractTarget['currency'] | undefined) ?? 'NOK',
      msisdn: env.VIPPS_TEST_MSISDN,
      approve: forceApprover(client, baseUrl, credentials, env.VIPPS_TEST_MSISDN),
    };
  });
  afterAll(() => target.client.stop());
  vippsContract('real test environment', () => target);
}
