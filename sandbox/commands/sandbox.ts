import { parseCommandArgs, portOption } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { startSandbox } from '../index.js';

export const sandboxUsage = `vipps-kiosk sandbox [--port N] [--host 127.0.0.1]
  Runs the local stand-in for Vipps MobilePay (ePayment, QR exchange, access token, Login) with its
  control API under /_sandbox/ and the customer's phone page at /phone. The keys act for a NOK sales
  unit and MobilePay units in DKK and EUR. Default port 7070.`;

export async function sandboxCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' } });
  const sandbox = await startSandbox({ port: portOption(values.port, 'port', 7070), host: values.host });
  const { clientId, clientSecret, subscriptionKey, merchantSerialNumber } = sandbox.credentials;
  // These are the sandbox's own fixed, fake credentials; printing them is how a developer gets them.
  process.stdout.write(
    [
      `Vipps sandbox listening on ${sandbox.url}`,
      `  phone page        ${sandbox.url}/phone`,
      `  control API       ${sandbox.url}/_sandbox/`,
      `  client id         ${clientId}`,
      `  client secret     ${clientSecret}`,
      `  subscription key  ${subscriptionKey}`,
      `  merchant (MSN)    ${merchantSerialNumber}`,
      `  test customers    ${sandbox.customers.map((c) => c.msisdn).join(', ')}`,
      ...sandbox.salesUnits
        .filter((unit) => unit.merchantSerialNumber !== merchantSerialNumber)
        .map(
          (unit) =>
            `  ${`${unit.currency} unit (${unit.market})`.padEnd(18)}MSN ${unit.merchantSerialNumber}, customers ${unit.customers.map((c) => c.msisdn).join(', ')}`,
        ),
      '',
    ].join('\n'),
  );
  await untilSignal();
  await sandbox.close();
}
