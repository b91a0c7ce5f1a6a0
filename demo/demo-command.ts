import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseCommandArgs, portOption, UsageError } from '../common/cli/args.js';
import { untilSignal } from '../common/cli/signals.js';
import { createLogger } from '../common/log/logger.js';
import { screenAuthorization, screenPageUrl } from '../contracts/screen-auth.js';
import { APP_NAME } from '../contracts/screen-model.js';
import { COUNTRIES, type Country } from '../device/checkout/domain/market.js';
import { FakeKeys } from '../device/hardware/fake-keys.js';
import { startKiosk } from '../device/main.js';
import { COMMAND_KEYS_DIR } from '../device/telemetry/command-keys.js';
import { writeCommandKeyPair } from '../hq/commands/send-command.js';
import { type SandboxCredentials, type SandboxCustomer, startSandbox } from '../sandbox/index.js';
import {
  DEMO_COMPANY,
  DEMO_EMPLOYEE,
  demoSigningKey,
  demoStaff,
  writeDemoConfigDir,
} from './demo-cash-register.js';
import { startDemoHq } from './demo-hq.js';
import { startDemoPos } from './demo-pos.js';
import { startDemoWebhooks } from './demo-webhooks.js';
import { startEmbeddedBroker } from './embedded-broker.js';
import { sandboxSettings } from './sandbox-settings.js';

export const demoUsage = `vipps-kiosk demo [--port N] [--sandbox-port M] [--sandbox-url URL] [--state-dir DIR]
                 [--broker URL | --broker-port P] [--hq-port H | --no-hq] [--market NO|DK|FI]
                 [--mode attended [--pos-port P]] [--speech]
  Runs the kiosk on embedded defaults against the local Vipps sandbox, with the simulated scanner
  (the screen's dev overlay, or POST /api/scan) and the status LED drawn on screen. Needs no files.
  It prints the screen's address with this run's screen token after the #: open that one.
  Defaults: kiosk screen on 8080, sandbox and its phone page on 7070, state in a new temporary folder.
  --sandbox-url uses a sandbox already running there instead of starting one, and --state-dir keeps
  the journal and receipt counter, so the kiosk can be killed and restarted against the same ledger.
  Telemetry goes to an embedded MQTT broker (default port 1883), or to the broker at --broker URL.
  --market sells in Denmark (MobilePay, DKK, Danish) or Finland (MobilePay, EUR, Finnish) through the
  sandbox's sales unit of that market, instead of Norway (Vipps, NOK, Bokmål; the default). The cash
  register and staff mode are Norway's, so they run in market NO only.
  Payment events take the production path: the sandbox delivers its signed webhooks to an embedded
  webhook relay (registered through the sandbox's Webhooks API), which publishes them to that broker,
  where the kiosk hears of an approval at once; its polling stays on as the fallback.
  HQ runs beside it: the collector on the embedded database in the state folder (kept with
  --state-dir) and the HQ page on --hq-port (default 8090), with a demo operator login printed;
  --no-hq leaves HQ out (it starts in seconds then: what tests that restart the demo often use).
  --mode attended runs the kiosk as the Vipps terminal of a store's POS: it pairs the reference cashier
  screen (\`pos serve\`, default port 8085) with the kiosk's terminal API (127.0.0.1:8443) and prints its
  address; the kiosk screen is then the customer display.
  --speech turns speech mode on (espeak-ng reading the screen through the speaker, speech.alsaDevice) and
  gives the demo panel the tactile keys as buttons: speech, next, previous, select, back and volume.
  VK_* variables still apply.`;

/**
 * HQ's command key for this run: made at every start, its public half the only key the demo kiosk
 * trusts, so its commands work and nobody else's do.
 */
async function demoCommandKey(): Promise<{ keysDir: string; privatePath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vipps-kiosk-demo-hq-'));
  const keysDir = join(dir, COMMAND_KEYS_DIR);
  await mkdir(keysDir);
  const { privatePath, publicPath } = writeCommandKeyPair(dir);
  await copyFile(publicPath, join(keysDir, basename(publicPath)));
  return { keysDir, privatePath };
}

function marketOption(value: string | undefined): Country {
  const market = (value ?? 'NO').toUpperCase();
  if (!(COUNTRIES as readonly string[]).includes(market))
    throw new UsageError(`--market must be one of ${COUNTRIES.join(', ')}, not "${value}"`);
  return market as Country;
}

/** The sandbox the demo pays into: one it starts, or one already running elsewhere; its users of `market`. */
async function demoSandbox(url: string | undefined, port: number, market: Country) {
  if (url === undefined) {
    const sandbox = await startSandbox({ port });
    const unit = sandbox.salesUnits.find((candidate) => candidate.market === market);
    return { ...sandbox, customers: unit?.customers ?? [] };
  }
  const base = url.replace(/\/+$/, '');
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`).catch((error: unknown) => {
      throw new UsageError(`no sandbox answers at ${base} (${(error as Error).message})`);
    });
    if (!res.ok)
      throw new UsageError(`${base}${path} answered HTTP ${res.status}: is that a vipps-kiosk sandbox?`);
    return (await res.json()) as T;
  };
  return {
    url: base,
    credentials: await get<SandboxCredentials>('/_sandbox/credentials'),
    customers: (await get<SandboxCustomer[]>('/_sandbox/users')).filter((user) => user.market === market),
    close: async () => {},
  };
}

export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string' },
    'sandbox-port': { type: 'string' },
    'sandbox-url': { type: 'string' },
    'state-dir': { type: 'string' },
    broker: { type: 'string' },
    'broker-port': { type: 'string' },
    'hq-port': { type: 'string' },
    'no-hq': { type: 'boolean' },
    mode: { type: 'string' },
    'pos-port': { type: 'string' },
    market: { type: 'string' },
    speech: { type: 'boolean' },
  });
  const hqPort = portOption(values['hq-port'], 'hq-port', 8090);
  const mode = values.mode ?? 'self-service';
  if (mode !== 'self-service' && mode !== 'attended') {
    throw new UsageError(`--mode is "self-service" (the default) or "attended", not "${mode}"`);
  }
  const attended = mode === 'attended';
  const port = portOption(values.port, 'port', 8080);
  const market = marketOption(values.market);
  const sandbox = await demoSandbox(
    values['sandbox-url'],
    portOption(values['sandbox-port'], 'sandbox-port', 7070),
    market,
  );
  const stateDir = values['state-dir'] ?? (await mkdtemp(join(tmpdir(), 'vipps-kiosk-demo-')));
  const broker = values.broker
    ? undefined
    : await startEmbeddedBroker(portOption(values['broker-port'], 'broker-port', 1883));
  const telemetry = broker
    ? // The embedded broker speaks MQTT 3.1.1, which has no will delay.
      { brokerUrl: broker.url, protocolVersion: 4, willDelaySeconds: 0 }
    : { brokerUrl: values.broker };
  // The demo store has a customer club, so both of Vipps' in-store flows can be tried.
  const club = { enabled: true };
  // The cash register (and staff mode with it) is Norway's: a Danish or Finnish demo sells without one.
  const staff = market === 'NO' ? await demoStaff(stateDir) : null;
  const settings = sandboxSettings(
    sandbox,
    {
      stateDir,
      port,
      market,
      extra: {
        telemetry,
        club,
        ...(values.speech ? { speech: { enabled: true } } : {}),
        ...(staff ? { cashRegister: DEMO_COMPANY } : {}),
        // The POS on the same machine: plain HTTP on loopback, as the terminal API allows there only.
        ...(attended ? { mode, terminal: { host: '127.0.0.1' } } : {}),
      },
      ...(staff
        ? { secrets: { cashRegister: await demoSigningKey(stateDir), staffCardKey: staff.staffCardKey } }
        : {}),
    },
    process.env,
  );
  // What the cash-register commands read on a demo day (--config-dir).
  const configDir = join(stateDir, 'demo-config');
  await writeDemoConfigDir(configDir, settings);
  const logger = createLogger({ level: settings.log.level, journal: false });
  const phoneUrl = `${sandbox.url}/phone`;
  const hqKey = await demoCommandKey();
  // Side by side: neither needs the other to start, and a kiosk restarted on its state (the crash tests)
  // recovers as soon as it can; an event that comes before the relay listens is retried by the sandbox.
  const [webhooks, kiosk] = await Promise.all([
    startDemoWebhooks(settings, logger),
    startKiosk(settings, {
      logger,
      commandKeysDir: hqKey.keysDir,
      // Speech mode's tactile keys, pressed by the demo panel's buttons (nothing listens without speech).
      ...(values.speech ? { keys: new FakeKeys() } : {}),
      demo: {
        phoneUrl,
        sandboxUrl: sandbox.url,
        customers: sandbox.customers.map((c) => ({
          name: c.name,
          msisdn: c.msisdn,
          personalQr: c.personalQrV2,
        })),
      },
    }),
  ]);
  const brokerUrl = settings.telemetry.brokerUrl;
  const hq =
    brokerUrl === undefined || values['no-hq']
      ? undefined
      : await startDemoHq({ stateDir, brokerUrl, commandKeyPath: hqKey.privatePath, port: hqPort, logger });
  // Attended mode has the terminal API; self-service has none, and no cashier screen.
  const pos = kiosk.terminal
    ? await startDemoPos(
        settings,
        kiosk.terminal.url,
        portOption(values['pos-port'], 'pos-port', 8085),
        logger,
      )
    : undefined;
  const [customer] = sandbox.customers;
  process.stdout.write(
    [
      '',
      'vipps-kiosk demo is running',
      `  kiosk screen  ${screenPageUrl(kiosk.url, kiosk.screenToken)}`,
      '                (open in Chromium; the overlay in the corner is the scanner; the part after # is',
      "                this run's screen token, which the daemon asks of every screen and API call)",
      `  phone page    ${phoneUrl}   (the customer: approve or reject payments and club logins)`,
      ...(pos
        ? [
            `  cashier page  ${pos.url}   (attended mode: ring up the sale and send the payment request here;`,
            '                the kiosk screen is the customer display, its scanner the customer-facing one)',
            `  terminal API  ${kiosk.terminal?.url}   (the demo's POS is paired; \`vipps-kiosk pos pair\` pairs another)`,
          ]
        : []),
      `  telemetry     ${settings.telemetry.brokerUrl}   (topics vk/v1/${settings.device.site}/${settings.device.id}/#)`,
      `  webhooks      sandbox -> relay ${webhooks.url} -> broker (vk/v1/vipps/#); relay health ${webhooks.url}/healthz`,
      hq
        ? `  HQ page       ${hq.url}/   (sign in as ${hq.login.user}, password ${hq.login.password}; operator)`
        : '',
      `  HQ commands   vipps-kiosk hq command --broker ${settings.telemetry.brokerUrl} --key ${hqKey.privatePath} ${settings.device.site}/${settings.device.id} identify --arg seconds=5`,
      `  scan by HTTP  curl -X POST ${kiosk.url}/api/scan -H 'content-type: application/json' -H 'authorization: ${screenAuthorization(kiosk.screenToken)}' -d '{"text":"2000000000015"}'`,
      customer ? `  a customer QR ${customer.personalQrV2}` : '',
      `  market        ${market}: ${settings.store.currency}, ${APP_NAME[market]}, sales unit ${settings.vipps.merchantSerialNumber}`,
      staff
        ? `  SAF-T export  vipps-kiosk saft export --config-dir ${configDir} --from today --to today`
        : '',
      staff
        ? `  staff card    ${staff.card}   (scan it in the demo panel, PIN ${DEMO_EMPLOYEE.pin}: X/Z, copy, return, training)`
        : '',
      'Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  await untilSignal();
  await pos?.stop();
  await kiosk.stop();
  await hq?.stop();
  await webhooks.stop();
  await broker?.close();
  await sandbox.close();
}
