import { z } from 'zod';
import { brokerUrlShape, deviceLabelShape } from '../../contracts/enrolment.js';
import { LANGUAGES } from '../../contracts/screen-model.js';
import { httpsUrlRule, secureUrlShape } from '../../contracts/secure-url.js';
import { deviceIdShape, siteIdShape } from '../../contracts/topics.js';
import { type KeySetting, RECOMMENDED_KEY_LINES } from './key-lines.js';
import { allowFromProblem, PRIVATE_RANGES } from './store-lan.js';

// Over 500 lines on purpose: the configuration reference (docs/configuration.md, `config reference`) is
// generated from this one schema, so every key, default and VK_* name stays in the order a reader meets them.
// One schema for the whole daemon. config.json holds everything but `secrets`; secrets.json holds
// only `secrets`; VK_* environment variables override either. Every leaf says what it expects, so
// an error can tell a field tech the key, what is wrong with the value and the form it should take.

const ms = (what: string, fallback: number, max = 600_000) =>
  z
    .number({ error: `expected a whole number of milliseconds (${what})` })
    .int({ error: `expected a whole number of milliseconds (${what})` })
    .min(1, { error: 'expected at least 1 ms' })
    .max(max, { error: `expected at most ${max} ms` })
    .default(fallback)
    .describe(what);

const text = (expected: string) =>
  z.string({ error: `expected ${expected}` }).min(1, { error: `expected ${expected}` });

const systemHeader = (what: string, fallback: string) =>
  z
    .string({ error: `expected ${what}, at most 30 characters` })
    .min(1, { error: `expected ${what}, at most 30 characters` })
    .max(30, { error: 'expected at most 30 characters (a Vipps limit)' })
    .default(fallback)
    .describe(`${what} sent in the Vipps-System headers`);

const usbId = z
  .string({ error: 'expected a USB id of 4 hex digits, e.g. "0c2e"' })
  .regex(/^[0-9a-fA-F]{4}$/, { error: 'expected a USB id of 4 hex digits, e.g. "0c2e"' });

const espeakVoice = z
  .string({ error: 'expected an espeak-ng voice name, e.g. "nb" or "en-gb" (espeak-ng --voices)' })
  .regex(/^[a-z0-9+-]{2,20}$/, {
    error: 'expected an espeak-ng voice name, e.g. "nb" or "en-gb" (espeak-ng --voices)',
  });

const ledPin = z
  .string({ error: 'expected a GPIO number such as "17", a line name such as "GPIO17", or an LED name' })
  .min(1, { error: 'expected a GPIO number such as "17", a line name such as "GPIO17", or an LED name' });

/** A tactile key's pin; the recommended one stands only while hardware.keys.lines is not given at all. */
const keyPin = (key: KeySetting, what: string) =>
  z
    .string({ error: 'expected a GPIO number such as "5" or a line name such as "GPIO5"' })
    .min(1, { error: 'expected a GPIO number such as "5" or a line name such as "GPIO5"' })
    .optional()
    .describe(`${what} (GPIO ${RECOMMENDED_KEY_LINES[key]} while hardware.keys.lines is not given)`);

export const VIPPS_BASE_URLS = {
  test: 'https://apitest.vipps.no',
  production: 'https://api.vipps.no',
} as const;

const vipps = z
  .strictObject({
    environment: z
      .enum(['test', 'production', 'sandbox'], { error: 'expected "test", "production" or "sandbox"' })
      .default('test')
      .describe('Which Vipps MobilePay to use: the test environment (MT), production, or a local sandbox'),
    baseUrl: secureUrlShape(
      httpsUrlRule('Vipps MobilePay', "the sales unit's keys and every payment", 'https://apitest.vipps.no'),
    )
      .optional()
      .describe(
        'Overrides the environment host; required for "sandbox"; https:// (http:// only to 127.0.0.1)',
      ),
    merchantSerialNumber: z
      .string({ error: 'expected the merchant serial number: 4–7 digits, in quotes, e.g. "123456"' })
      .regex(/^[0-9]{4,7}$/, { error: 'expected the merchant serial number: 4–7 digits, e.g. "123456"' })
      .describe('The sales unit (MSN) payments are made to'),
    systemName: systemHeader('the system name', 'vipps-kiosk'),
    systemVersion: systemHeader('the system version', '0.1.0'),
    pluginName: systemHeader('the plugin name', 'vipps-kiosk-rpi'),
    pluginVersion: systemHeader('the plugin version', '0.1.0'),
    timeouts: z
      .strictObject({
        connectMs: ms('TCP+TLS connect to Vipps', 3_000),
        tokenMs: ms('one access token request', 10_000),
        createMs: ms('one create payment request', 15_000),
        readMs: ms('one payment read', 5_000),
        modifyMs: ms('one capture, cancel or refund request', 15_000),
        qrMs: ms('one personal QR exchange', 5_000),
        loginStartMs: z
          .number({ error: 'expected a whole number of milliseconds, 15000–120000 (one Vipps Login start)' })
          .int({ error: 'expected a whole number of milliseconds, 15000–120000 (one Vipps Login start)' })
          .min(15_000, { error: 'expected at least 15000 ms: a login start is sent once, never retried' })
          .max(120_000, { error: 'expected at most 120000 ms' })
          .default(20_000)
          .describe(
            'One Vipps Login start (the push to join the club); sent once, so a slow answer is waited for',
          ),
      })
      .prefault({}),
    retry: z
      .strictObject({
        maxAttempts: z
          .number({ error: 'expected a whole number of attempts, 1–10' })
          .int({ error: 'expected a whole number of attempts, 1–10' })
          .min(1, { error: 'expected 1–10 attempts' })
          .max(10, { error: 'expected 1–10 attempts' })
          .default(4)
          .describe('Attempts per call in all, on network errors, 5xx, 423 and 429'),
        baseDelayMs: ms('first retry delay; doubles per retry', 250, 60_000),
        maxDelayMs: ms('cap on one retry delay', 8_000, 120_000),
        maxRetryAfterMs: ms(
          'cap on the Retry-After Vipps asks for before a retry (its rate limits count per minute)',
          60_000,
          600_000,
        ),
        deadlineMs: ms('no retry of a call starts later than this after its first attempt', 120_000, 600_000),
      })
      .prefault({}),
    tokenRefreshMarginMs: ms('refresh the access token this long before it expires', 60_000, 3_600_000),
  })
  .refine((v) => v.environment !== 'sandbox' || v.baseUrl !== undefined, {
    error: 'expected vipps.baseUrl to be set when vipps.environment is "sandbox"',
    path: ['baseUrl'],
  });

const days = (what: string, fallback: number, min: number) =>
  z
    .number({ error: `expected whole days, ${min}–3650` })
    .int({ error: `expected whole days, ${min}–3650` })
    .min(min, { error: `expected at least ${min} days` })
    .max(3650, { error: 'expected at most 3650 days' })
    .default(fallback)
    .describe(what);

const scopeList = z
  .string({ error: 'expected space-separated Vipps Login scopes that include openid' })
  .regex(/^[A-Za-z]+( [A-Za-z]+)*$/, {
    error: 'expected scopes separated by single spaces, e.g. "openid name phoneNumber"',
  })
  .refine((s) => s.split(' ').includes('openid'), { error: 'expected the scopes to include openid' });

const club = z
  .strictObject({
    enabled: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe(
        'Customer club: member prices, and joining with a Vipps Login push; false pays everyone at shelf prices',
      ),
    store: z
      .enum(['sqlite', 'http'], { error: 'expected "sqlite" or "http"' })
      .default('sqlite')
      .describe("Where members are kept: a SQLite file in stateDir, or the merchant's CRM over HTTP"),
    crmUrl: secureUrlShape(
      httpsUrlRule(
        "the merchant's club API",
        "the CRM token and customers' phone numbers",
        'https://crm.example.com/club/v1',
      ),
    )
      .optional()
      .describe(
        'Base URL of the CRM club API (store "http"), https:// (http:// only to 127.0.0.1); see device/club/README.md',
      ),
    crmTimeoutMs: ms('one CRM request', 3_000, 30_000),
    scopes: scopeList
      .default('openid name phoneNumber')
      .describe(
        'Vipps Login scopes asked for when a customer joins; add email, delegatedConsents as agreed with Vipps',
      ),
    clientAuth: z
      .enum(['client_secret_basic', 'client_secret_post'], {
        error: 'expected "client_secret_basic" or "client_secret_post"',
      })
      .default('client_secret_basic')
      .describe('How the kiosk authenticates to Vipps Login; must match the sales unit in the portal'),
    loginExpirySeconds: z
      .number({ error: 'expected whole seconds, 60–900' })
      .int({ error: 'expected whole seconds, 60–900' })
      .min(60, { error: 'expected at least 60 s (a Vipps limit)' })
      .max(900, { error: 'expected at most 900 s (a Vipps limit)' })
      .default(180)
      .describe('How long the customer has to approve joining in the app'),
    userinfoSubscriptionKey: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe(
        "Send the sales unit's subscription key to Vipps Login userinfo (its spec requires it, the Login docs do not send it)",
      ),
    memberRetentionDays: days(
      'A member of the SQLite club who has not used it (joined, or was recognised at the kiosk) for this long is deleted; a CRM keeps its own period',
      365,
      30,
    ),
  })
  .refine((c) => c.store !== 'http' || c.crmUrl !== undefined, {
    error: 'expected club.crmUrl to be set when club.store is "http"',
    path: ['crmUrl'],
  })
  .prefault({});

/** Norwegian organisation number: 9 digits, the last a mod-11 check digit (weights 3 2 7 6 5 4 3 2). */
export function isOrganisationNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(value[8]);
}

const cashRegister = z
  .strictObject({
    organisationNumber: z
      .string({ error: 'expected the organisation number: 9 digits in quotes, e.g. "123456785"' })
      .regex(/^\d{9}$/, { error: 'expected the organisation number: 9 digits, no spaces, e.g. "123456785"' })
      .refine(isOrganisationNumber, {
        error:
          'expected a valid organisation number: the last digit (mod-11 check) does not match; check for a typo',
      })
      .describe("The seller's organisation number (Brønnøysund), printed on receipts and in SAF-T"),
    companyName: text('the registered company name, at most 100 characters')
      .max(100, { error: 'expected at most 100 characters' })
      .describe("The seller's registered name"),
    address: z.strictObject({
      street: text('the street and number, e.g. "Storgata 1"').describe('Street and number of the shop'),
      postalCode: z
        .string({ error: 'expected a Norwegian postal code: 4 digits, e.g. "0150"' })
        .regex(/^\d{4}$/, { error: 'expected a Norwegian postal code: 4 digits, e.g. "0150"' })
        .describe('Postal code of the shop'),
      city: text('the postal town, e.g. "Oslo"').describe('Postal town of the shop'),
    }),
    vatRegistered: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe('Registered for VAT (MVA): receipts and SAF-T show the organisation number followed by MVA'),
    closingTime: z
      .string({ error: 'expected the closing time as "HH:MM" in quotes, e.g. "21:00"' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
        error: 'expected the closing time as "HH:MM" (24-hour, Norwegian time), e.g. "21:00"',
      })
      .optional()
      .describe(
        'Closing time (HH:MM, Norwegian time): a Z report is made then unless staff closed the day (a Z that day, no sale since); absent, none',
      ),
    allowSaleWithoutPrinter: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe(
        'Sell while the receipt printer is missing, out of paper or open (receipt on screen and in the app, journaled as not printed, 13030); false: the kiosk is out of order then (the law wants a printer at every till)',
      ),
  })
  .optional()
  .describe(
    'The kiosk as a Norwegian cash register (signed journal, SAF-T); market NO only (store.country "NO"); absent, none is kept',
  );

export const secretsSchema = z.strictObject({
  telemetry: z
    .strictObject({
      password: text('the broker password')
        .optional()
        .describe('Password of telemetry.username at the broker'),
    })
    .prefault({}),
  club: z
    .strictObject({
      crmToken: text('the bearer token the CRM gave this kiosk')
        .optional()
        .describe('Sent as Authorization: Bearer to the CRM club API'),
    })
    .prefault({}),
  cashRegister: z
    .strictObject({
      signingKey: text('the PEM private key (RSA 1024-bit) that signs sales; provisioning makes it')
        .optional()
        .describe('Signs each sale for the cash-register journal (Skatteetaten: RSA-SHA1, 1024-bit)'),
      keyVersion: z
        .number({ error: 'expected the version of the signing key: a whole number from 1' })
        .int({ error: 'expected a whole number from 1' })
        .min(1, { error: 'expected a whole number from 1' })
        .optional()
        .describe('Version of cashRegister.signingKey (keyVersion in SAF-T); counted up on each new key'),
    })
    .prefault({}),
  staffCardKey: text('a random key; provisioning makes it')
    .optional()
    .describe(
      'Checks staff cards (VKSTAFF1.<employee id>.<HMAC>): `vipps-kiosk staff card` prints them; absent, no staff mode',
    ),
  vipps: z.strictObject({
    clientId: text('the client_id from the Vipps MobilePay business portal').describe(
      'client_id of the sales unit',
    ),
    clientSecret: text('the client_secret from the business portal').describe(
      'client_secret of the sales unit',
    ),
    subscriptionKey: text('the Ocp-Apim-Subscription-Key (primary or secondary)').describe(
      'Ocp-Apim-Subscription-Key of the sales unit',
    ),
  }),
});

export const settingsSchema = z.strictObject({
  device: z.strictObject({
    id: deviceIdShape.describe('This kiosk, unique in the fleet; part of every payment reference'),
    site: siteIdShape.describe('The store; the MQTT topic level above the device'),
    label: deviceLabelShape.default('').describe('Shown to HQ'),
  }),
  store: z
    .strictObject({
      name: z
        .string({ error: 'expected the store name customers see in their app, 3–60 characters' })
        .min(3, { error: 'expected 3–60 characters' })
        .max(60, { error: 'expected 3–60 characters' })
        .default('Butikken')
        .describe('Store name used in the payment description'),
      country: z
        .enum(['NO', 'DK', 'FI'], { error: 'expected "NO", "DK" or "FI"' })
        .default('NO')
        .describe(
          'The market: VAT rates, the app the screen names (NO Vipps; DK, FI MobilePay), the phone numbers the keypad expects; a cash register only in NO',
        ),
      currency: z
        .enum(['NOK', 'DKK', 'EUR'], { error: 'expected "NOK", "DKK" or "EUR"' })
        .default('NOK')
        .describe('Must be the currency of the sales unit'),
    })
    .prefault({}),
  vipps,
  catalog: z
    .strictObject({
      file: text('the path of the catalog JSON file')
        .default('/etc/vipps-kiosk/catalog.json')
        .describe(
          'Products by barcode: {"currency","country","products":[{gtin,name,unitPrice,vatClass,memberPrice?}]}',
        ),
    })
    .prefault({}),
  checkout: z
    .strictObject({
      language: z
        .enum(LANGUAGES, { error: `expected one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}` })
        .default('nb')
        .describe(
          'Language each new customer is greeted in: nb Bokmål, nn Nynorsk, en English, da Danish, sv Swedish, fi Finnish',
        ),
      idleAfterMs: ms('quiet time on a customer screen before the idle warning', 60_000),
      idleWarningMs: z
        .number({ error: 'expected a whole number of milliseconds, at least 20000' })
        .int({ error: 'expected a whole number of milliseconds, at least 20000' })
        .min(20_000, {
          error: 'expected at least 20000 ms: WCAG 2.2.1 gives a customer 20 s to ask for more time',
        })
        .max(120_000, { error: 'expected at most 120000 ms' })
        .default(30_000)
        .describe('How long the "still here?" warning waits for a tap before clearing the basket'),
    })
    .prefault({}),
  club,
  journal: z
    .strictObject({
      retentionDays: days(
        'A settled payment (its customer already redacted) is deleted from the payment journal this long after it settled; an unsettled one never',
        90,
        7,
      ),
    })
    .prefault({}),
  telemetry: z
    .strictObject({
      brokerUrl: brokerUrlShape
        .optional()
        .describe(
          'HQ MQTT broker, mqtts:// or wss:// (mqtt:// only to 127.0.0.1); no telemetry when absent (the demo starts an embedded broker)',
        ),
      username: z.string().min(1).optional().describe('Broker username; the password is in secrets.json'),
      caFile: text('a path to the CA certificate (PEM)')
        .optional()
        .describe('TLS: CA that signed the broker'),
      certFile: text("a path to this kiosk's client certificate (PEM)")
        .optional()
        .describe('TLS client certificate'),
      keyFile: text("a path to the client certificate's key (PEM)").optional().describe('TLS client key'),
      protocolVersion: z
        .union([z.literal(5), z.literal(4)], { error: 'expected 5 (MQTT 5) or 4 (MQTT 3.1.1)' })
        .default(5)
        .describe(
          'MQTT 5 (falls back to 3.1.1 by itself if the broker refuses 5), or 4 to speak 3.1.1 from the start',
        ),
      willDelaySeconds: z
        .number({ error: 'expected whole seconds, 0–300' })
        .int({ error: 'expected whole seconds, 0–300' })
        .min(0)
        .max(300)
        .default(30)
        .describe('How long HQ waits before a lost connection shows the kiosk offline'),
      healthIntervalMs: ms('between health samples', 60_000, 3_600_000),
    })
    .prefault({}),
  hardware: z
    .strictObject({
      scanner: z
        .strictObject({
          driver: z
            .enum(['hid', 'none'], { error: 'expected "hid" (a USB scanner) or "none"' })
            .default('hid')
            .describe(
              '"hid": a USB scanner in HID-POS or keyboard mode; "none": customers type their phone number',
            ),
          vendorId: usbId
            .optional()
            .describe('The scanner to use (4 hex digits, e.g. "0c2e"); else found by looking'),
          productId: usbId.optional().describe('With vendorId: one model of that vendor'),
          keyboardLayout: z
            .enum(['us', 'no'], { error: 'expected "us" or "no" (Norwegian)' })
            .default('us')
            .describe(
              'The layout a keyboard-mode scanner is programmed for; "no" also for Danish, Swedish and Finnish',
            ),
          terminator: z
            .enum(['enter-or-tab', 'none'], { error: 'expected "enter-or-tab" or "none"' })
            .default('enter-or-tab')
            .describe('How a keyboard-mode scanner ends a code; "none": a pause ends it'),
          interCharTimeoutMs: ms(
            'keyboard mode: a longer pause ends (or, with a terminator, drops) a scan',
            100,
            5_000,
          ),
          continuationTimeoutMs: ms(
            'HID-POS: how long a code split over reports may wait for the next',
            200,
            5_000,
          ),
        })
        .prefault({}),
      leds: z
        .strictObject({
          driver: z
            .enum(['none', 'gpio', 'sysfs'], { error: 'expected "none", "gpio" or "sysfs"' })
            .default('none')
            .describe(
              '"gpio": LEDs on GPIO lines (onoff); "sysfs": kernel LEDs in /sys/class/leds (gpio-led overlay)',
            ),
          chip: z
            .string()
            .min(1)
            .optional()
            .describe("gpio: label of the GPIO chip the pins are on; the Pi's SoC chip when absent"),
          activeLow: z
            .boolean({ error: 'expected true or false' })
            .default(false)
            .describe('gpio: the LED lights when the line is low'),
          green: ledPin
            .optional()
            .describe('The green LED: gpio: a SoC GPIO number ("17") or line name; sysfs: its LED name'),
          amber: ledPin.optional().describe('The amber LED, as green'),
          red: ledPin.optional().describe('The red LED, as green'),
          blue: ledPin.optional().describe('The blue LED, as green'),
        })
        .prefault({}),
      keys: z
        .strictObject({
          driver: z
            .enum(['none', 'gpio'], { error: 'expected "none" or "gpio"' })
            .default('none')
            .describe(
              '"gpio": tactile keys for speech mode, each a push button from a GPIO pin to ground (onoff); "none": no keys',
            ),
          chip: z
            .string()
            .min(1)
            .optional()
            .describe("gpio: label of the GPIO chip the pins are on; the Pi's SoC chip when absent"),
          lines: z
            .strictObject({
              speech: keyPin('speech', 'Starts (or stops) speech mode'),
              next: keyPin('next', 'Moves the spoken focus on'),
              previous: keyPin('previous', 'Moves the spoken focus back'),
              select: keyPin('select', 'Presses what has the focus'),
              back: keyPin('back', "The screen's back (or start over)"),
              volumeUp: keyPin('volumeUp', 'Speech louder'),
              volumeDown: keyPin('volumeDown', 'Speech softer'),
            })
            .default({ ...RECOMMENDED_KEY_LINES })
            .describe(
              'gpio: each wired key and its pin, a SoC GPIO number ("5") or line name; keys left out are not wired',
            ),
          longPressMs: ms('a key held this long is a long press', 1_000, 5_000),
          debounceMs: ms('a key level must hold this long to count (contact bounce)', 30, 200),
        })
        .prefault({}),
      printer: z
        .strictObject({
          driver: z
            .enum(['usb', 'none'], { error: 'expected "usb" (an ESC/POS receipt printer) or "none"' })
            .default('none')
            .describe(
              '"usb": an ESC/POS receipt printer on USB (a Norwegian cash register needs one: without it the kiosk is out of order); "none": no printer',
            ),
          vendorId: usbId
            .optional()
            .describe('The printer to use (4 hex digits, e.g. "04b8"); else found by looking'),
          productId: usbId.optional().describe('With vendorId: one model of that vendor'),
          paperWidth: z
            .union([z.literal(58), z.literal(80)], { error: 'expected 58 or 80 (mm)' })
            .default(80)
            .describe('Width of the paper roll in mm: 58 (32 characters a line) or 80 (48)'),
          jobTimeoutMs: ms(
            'a print job not taken by the printer in full by then is reported',
            10_000,
            60_000,
          ),
        })
        .prefault({}),
    })
    .prefault({}),
  server: z
    .strictObject({
      port: z
        .number({ error: 'expected a TCP port number 0–65535' })
        .int({ error: 'expected a TCP port number 0–65535' })
        .min(0, { error: 'expected a TCP port number 0–65535' })
        .max(65_535, { error: 'expected a TCP port number 0–65535' })
        .default(8080)
        .describe('Port of the local screen server, always on 127.0.0.1; 0 takes any free port'),
    })
    .prefault({}),
  mode: z
    .enum(['self-service', 'attended'], { error: 'expected "self-service" or "attended"' })
    .default('self-service')
    .describe(
      "attended: the store's POS is the cash register and drives payments through the terminal API; the kiosk keeps only its payment journal",
    ),
  terminal: z
    .strictObject({
      host: z
        .string({ error: 'expected an IP address to listen on, e.g. "0.0.0.0" or "127.0.0.1"' })
        .regex(/^(\d{1,3}\.){3}\d{1,3}$|^::1?$/, {
          error: 'expected an IP address to listen on, e.g. "0.0.0.0" or "127.0.0.1"',
        })
        .default('0.0.0.0')
        .describe(
          "Address of the terminal API (attended mode): HTTPS with the kiosk's own certificate, plain HTTP only on 127.0.0.1",
        ),
      port: z
        .number({ error: 'expected a TCP port number 0–65535' })
        .int({ error: 'expected a TCP port number 0–65535' })
        .min(0, { error: 'expected a TCP port number 0–65535' })
        .max(65_535, { error: 'expected a TCP port number 0–65535' })
        .default(8443)
        .describe('Port of the terminal API (attended mode); 0 takes any free port'),
      allowFrom: z
        .string({ error: 'expected IP addresses or prefixes separated by single spaces' })
        .regex(/^\S+( \S+)*$/, { error: 'expected IP addresses or prefixes separated by single spaces' })
        .default(PRIVATE_RANGES.join(' '))
        .superRefine((text, ctx) => {
          const problem = allowFromProblem(text);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        })
        .describe(
          'Where a POS may reach the terminal API from (attended mode): space-separated addresses or prefixes, private ones only; the systemd unit admits nothing else',
        ),
    })
    .prefault({}),
  stateDir: text('an absolute directory path')
    .default('/var/lib/vipps-kiosk')
    .describe('Journal, outbox, club database'),
  log: z
    .strictObject({
      level: z
        .enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' })
        .default('info')
        .describe('Lowest level written to the journal (stdout)'),
    })
    .prefault({}),
  speech: z
    .strictObject({
      enabled: z
        .boolean({ error: 'expected true or false' })
        .default(false)
        .describe(
          'Speech mode (espeak-ng reading the screen through headphones, the tactile keys) and the sounds of scans, payments and time limits',
        ),
      alsaDevice: text('an ALSA device name, e.g. "default" or "plughw:CARD=Headphones"')
        .default('default')
        .describe('Where speech and sounds play (aplay -D): the headphone jack or a USB headset'),
      volume: z
        .number({ error: 'expected a whole number of per cent, 10 to 100' })
        .int({ error: 'expected a whole number of per cent, 10 to 100' })
        .min(10, { error: 'expected at least 10 %' })
        .max(100, { error: 'expected at most 100 %' })
        .default(70)
        .describe(
          "Volume at start, in per cent of espeak-ng's normal loudness; the volume keys move it by 10",
        ),
      voices: z
        .strictObject(
          Object.fromEntries(
            ['nb', 'nn', 'da', 'sv', 'fi', 'en'].map((language) => [
              language,
              espeakVoice
                .optional()
                .describe(`espeak-ng voice for ${language} (built in: device/speech/espeak-speech.ts)`),
            ]),
          ),
        )
        .prefault({}),
    })
    .prefault({}),
  cashRegister,
  secrets: secretsSchema,
});

/**
 * The settings with the rules that tie sections together. The cash-register rules (kassasystemforskriften,
 * SAF-T Cash Register) are Norway's: a kiosk selling in Denmark or Finland keeps no Norwegian cash register.
 */
export const checkedSettingsSchema = settingsSchema.refine(
  (settings) => settings.cashRegister === undefined || settings.store.country === 'NO',
  {
    error: 'expected no cashRegister section outside market NO: the cash register is a Norwegian one',
    path: ['cashRegister'],
  },
);

export type Settings = z.infer<typeof settingsSchema>;
export type Secrets = z.infer<typeof secretsSchema>;

/** The Vipps host a configuration talks to. */
export function vippsBaseUrl(settings: Settings): string {
  const { environment, baseUrl } = settings.vipps;
  if (baseUrl) return baseUrl;
  return environment === 'production' ? VIPPS_BASE_URLS.production : VIPPS_BASE_URLS.test;
}
