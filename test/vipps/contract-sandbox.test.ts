import { afterAll, beforeAll } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { type ContractTarget, contractClient, forceApprover, vippsContract } from './contract.js';

let sandbox: RunningSandbox;
let target: ContractTarget;

beforeAll(async () => {
  sandbox = await startSandbox();
  const client = contractClient(sandbox.url, sandbox.credentials);
  const msisdn = sandbox.customers[0]!.msisdn;
  target = {
    client,
    currency: 'NOK',
    msisdn,
    approve: forceApprover(client, sandbox.url, sandbox.credentials, msisdn),
  };
});
afterAll(async () => {
  await target.client.stop();
  await sandbox.close();
});

vippsContract('sandbox', () => target);
