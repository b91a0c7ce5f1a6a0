import { type MqttTls, readTlsFiles } from '../common/mqtt/link.js';
import { loadCatalogFile } from '../device/catalog/catalog-file.js';
import { type Country, CURRENCY_OF } from '../device/checkout/domain/market.js';
import { VIPPS_BASE_URLS } from '../device/config/schema.js';
import { type CheckResult, checkBroker, checkVipps } from '../device/system/system-checks.js';
import { type Draft, problemWith, setAt, valueAt } from './draft.js';

// What `vipps-kiosk provision` asks, step by step, and how each step is verified. A step is a few keys
// of the configuration and, where something outside can say yes or no, one check.

export interface Field {
  /** The settings key; secrets live under `secrets.`. */
  path: string;
  /** The question, short. The schema's description of the key is shown under it. */
  label: string;
  /** Command-line flag for scripted installs; secrets have none (they would show in `ps`). */
  flag?: string;
  secret?: boolean;
  /** Empty input leaves it unset. */
  optional?: boolean;
  /** Offered when the configuration has no value yet. */
  suggest?: (draft: Draft) => string | undefined;
  /** Asked only when this says so. */
  when?: (draft: Draft) => boolean;
}

export interface Step {
  id: string;
  title: string;
  fields: Field[];
  /** Keys that follow from the answers (the currency from the country); run before verify. */
  derive?: (draft: Draft) => void;
  /** Looks around before the questions (the scanners attached) and says what it found. */
  prepare?: (draft: Draft, say: (line: string) => void) => Promise<void>;
  /** `say` reaches the tech while the check runs (watch this LED now). */
  verify?: (draft: Draft, say: (line: string) => void) => Promise<CheckResult>;
}

const VERIFY_TIMEOUT_MS = 5_000;

const text = (draft: Draft, path: string): string | undefined => {
  const value = valueAt(draft, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const tlsUrl = (draft: Draft) => /^(mqtts|wss):/.test(text(draft, 'telemetry.brokerUrl') ?? '');

/**
 * A URL the configuration would refuse (a plain one to another machine, say from an enrolment code,
 * whose keys are not asked again) is not even tried: trying would send the password in clear.
 */
function refusedUrl(draft: Draft, path: string, name: string): CheckResult | undefined {
  const url = text(draft, path);
  const problem = url === undefined ? undefined : problemWith(path, url);
  return problem === undefined ? undefined : { name, status: 'fail', detail: `${path}: ${problem}` };
}

export const identityStep: Step = {
  id: 'identity',
  title: 'This kiosk',
  fields: [
    { path: 'device.site', label: 'Site id', flag: 'site' },
    { path: 'device.id', label: 'Device id', flag: 'device-id' },
    { path: 'device.label', label: 'Label', flag: 'label', optional: true },
    { path: 'store.name', label: 'Store name', flag: 'store-name' },
    { path: 'store.country', label: 'Country (NO, DK, FI)', flag: 'country', suggest: () => 'NO' },
  ],
  derive(draft) {
    const country = text(draft, 'store.country') as Country | undefined;
    if (country && country in CURRENCY_OF) setAt(draft, 'store.currency', CURRENCY_OF[country]);
  },
};

export const vippsStep: Step = {
  id: 'vipps',
  title: 'Vipps MobilePay',
  fields: [
    {
      path: 'vipps.environment',
      label: 'Environment (test or production)',
      flag: 'vipps-environment',
      suggest: () => 'test',
    },
    {
      path: 'vipps.baseUrl',
      label: 'Sandbox URL',
      flag: 'vipps-base-url',
      when: (draft) => text(draft, 'vipps.environment') === 'sandbox',
    },
    { path: 'vipps.merchantSerialNumber', label: 'Merchant serial number (MSN)', flag: 'vipps-msn' },
    { path: 'secrets.vipps.clientId', label: 'Client id', secret: true },
    { path: 'secrets.vipps.clientSecret', label: 'Client secret', secret: true },
    { path: 'secrets.vipps.subscriptionKey', label: 'Subscription key', secret: true },
  ],
  derive(draft) {
    // A base URL left over from a sandbox would send production payments to it.
    if (text(draft, 'vipps.environment') !== 'sandbox') setAt(draft, 'vipps.baseUrl', undefined);
  },
  verify: async (draft) =>
    refusedUrl(draft, 'vipps.baseUrl', 'Vipps credentials') ??
    checkVipps({
      baseUrl:
        text(draft, 'vipps.baseUrl') ??
        (text(draft, 'vipps.environment') === 'production'
          ? VIPPS_BASE_URLS.production
          : VIPPS_BASE_URLS.test),
      credentials: {
        clientId: text(draft, 'secrets.vipps.clientId') ?? '',
        clientSecret: text(draft, 'secrets.vipps.clientSecret') ?? '',
        subscriptionKey: text(draft, 'secrets.vipps.subscriptionKey') ?? '',
        merchantSerialNumber: text(draft, 'vipps.merchantSerialNumber') ?? '',
      },
      timeoutMs: VERIFY_TIMEOUT_MS,
    }),
};

export const brokerStep: Step = {
  id: 'broker',
  title: 'HQ telemetry (MQTT)',
  fields: [
    {
      path: 'telemetry.brokerUrl',
      label: 'Broker URL (empty: no telemetry)',
      flag: 'broker-url',
      optional: true,
    },
    {
      path: 'telemetry.username',
      label: 'Broker username (empty: client certificate)',
      flag: 'broker-username',
      optional: true,
      when: (draft) => text(draft, 'telemetry.brokerUrl') !== undefined,
      // An enrolled kiosk logs in with its certificate: Enter on a re-run must not add a username.
      suggest: (draft) => (text(draft, 'telemetry.certFile') ? undefined : text(draft, 'device.id')),
    },
    {
      path: 'secrets.telemetry.password',
      label: 'Broker password',
      secret: true,
      optional: true,
      when: (draft) => text(draft, 'telemetry.username') !== undefined,
    },
    { path: 'telemetry.caFile', label: 'CA certificate file', flag: 'ca-file', optional: true, when: tlsUrl },
    {
      path: 'telemetry.certFile',
      label: 'Client certificate file',
      flag: 'cert-file',
      optional: true,
      when: tlsUrl,
    },
    { path: 'telemetry.keyFile', label: 'Client key file', flag: 'key-file', optional: true, when: tlsUrl },
  ],
  derive(draft) {
    if (text(draft, 'telemetry.brokerUrl') !== undefined) return;
    for (const key of ['username', 'caFile', 'certFile', 'keyFile'])
      setAt(draft, `telemetry.${key}`, undefined);
    setAt(draft, 'secrets.telemetry.password', undefined);
  },
  async verify(draft) {
    const url = text(draft, 'telemetry.brokerUrl');
    if (url === undefined)
      return { name: 'HQ broker', status: 'warn', detail: 'no broker: HQ will not see this kiosk' };
    const refused = refusedUrl(draft, 'telemetry.brokerUrl', 'HQ broker');
    if (refused) return refused;
    let tls: MqttTls | undefined;
    try {
      tls = tlsUrl(draft)
        ? readTlsFiles({
            caFile: text(draft, 'telemetry.caFile'),
            certFile: text(draft, 'telemetry.certFile'),
            keyFile: text(draft, 'telemetry.keyFile'),
          })
        : undefined;
    } catch (error) {
      return {
        name: 'HQ broker',
        status: 'fail',
        detail: `cannot read a TLS file: ${(error as Error).message}`,
      };
    }
    return checkBroker({
      url,
      username: text(draft, 'telemetry.username'),
      password: text(draft, 'secrets.telemetry.password'),
      tls,
    });
  },
};

export const catalogStep: Step = {
  id: 'catalog',
  title: 'Catalog',
  fields: [
    {
      path: 'catalog.file',
      label: 'Catalog file',
      flag: 'catalog-file',
      suggest: () => '/etc/vipps-kiosk/catalog.json',
    },
  ],
  async verify(draft) {
    const name = 'catalog';
    const file = text(draft, 'catalog.file') ?? '';
    try {
      const catalog = await loadCatalogFile(file);
      const { country, currency } = catalog.market;
      if (country !== text(draft, 'store.country') || currency !== text(draft, 'store.currency')) {
        return {
          name,
          status: 'fail',
          detail: `${file} is priced in ${currency} for ${country}, but this store is in ${text(draft, 'store.country')}`,
        };
      }
      return { name, status: 'pass', detail: `${catalog.all().length} products in ${currency} from ${file}` };
    } catch (error) {
      return { name, status: 'fail', detail: (error as Error).message.replace(/\n\s*/g, ' ') };
    }
  },
};

/** The core steps, in the order asked; the command adds the hardware step (provisioning/hardware-step.ts). */
export const PROVISION_STEPS: readonly Step[] = [identityStep, vippsStep, brokerStep, catalogStep];
