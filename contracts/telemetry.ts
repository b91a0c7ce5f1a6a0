import type { FileManifest } from './file-transfer.js';
import type { SignedCommand } from './hq-command.js';
import type { RelayedPayment } from './relayed-event.js';
import type { DeclineReason, LedStates, ScreenName } from './screen-model.js';
import type { Currency } from './vipps-types.js';

// Every MQTT topic of version 1 and the payload it carries, as TypeScript types: what the kiosk
// publishes, what HQ sends it, and the Vipps webhooks HQ relays. `asyncapi.yaml` beside this file is
// the same contract for HQ and for the runtime check; test/telemetry/telemetry-map.test.ts keeps the
// two in step (the same event types and commands, and a sample of every payload, written against these
// types, valid against the document's schemas). Topic strings themselves are built by `topics.ts`.

/** ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export type Timestamp = string;
/** An amount in minor units (øre/cent), VAT included. */
export type MinorUnits = number;
/** Lower-case Crockford base32, 26 characters; sorts by creation time. */
export type Ulid = string;

// ---------------------------------------------------------------------------------------------------
// status, state, health

export type StatusPayload = {
  state: 'online' | 'offline';
  version: string;
  bootId: Ulid;
  startedAt: Timestamp;
  /** The connection this message belongs to (1 for the first since boot). */
  session: number;
};

export type RecoveryTotals = {
  captured: number;
  cancelled: number;
  closed: number;
  unresolved: number;
  watching: number;
};

export type StatePayload = {
  screen: ScreenName;
  machineState: string;
  vippsReachable: boolean;
  basketItems: number;
  recovery: RecoveryTotals | null;
  leds: LedStates;
  scannerAttached: boolean;
};

/** What a receipt printer last said about itself (`offline`: none is connected); see device/printer. */
export const PRINTER_CONDITIONS = ['ready', 'paper-near-end', 'paper-out', 'cover-open', 'offline'] as const;
export type PrinterCondition = (typeof PRINTER_CONDITIONS)[number];

export type HealthPayload = {
  uptimeSeconds: number;
  rssMb: number;
  heapMb: number;
  eventLoopDelayMs: { p50: number; p99: number } | null;
  load: [number, number, number];
  socTemperatureC: number | null;
  stateDirFreeMb: number;
  outboxDepth: number;
  degraded: boolean;
  /** Connections to the broker after the first since the daemon started (0 again after a restart). */
  mqttReconnects: number;
  scansRead: number;
  /** Only when the club keeps members in the merchant's CRM. */
  crm?: { queued: number; delivered: number; refused: number };
  vipps: { calls: number; failures: number; p50Ms: number | null; p95Ms: number | null };
  /** Only when the kiosk has a receipt printer configured (or the demo's simulated one). */
  printer?: { condition: PrinterCondition; model: string | null };
};

// ---------------------------------------------------------------------------------------------------
// events/{type}

/** A kiosk payment reference, `<kiosk>-<receipt number>-<attempt>`. */
export type PaymentReference = string;

export const CLUB_ENROLMENT_OUTCOMES = [
  'joined',
  'skipped',
  'declined',
  'timeout',
  'unavailable',
  'abandoned',
  'approval-lost',
] as const;
export type ClubEnrolmentOutcome = (typeof CLUB_ENROLMENT_OUTCOMES)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail';

/**
 * How bad an alert is: `critical` the kiosk cannot take payments until someone acts; `warning` it still
 * sells, but something needs looking at.
 */
export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * One condition staff or HQ must act on, from the moment it is raised until it is cleared: the same
 * event type both times. A raise says `cleared: false`; the clear repeats the alert it ends with
 * `cleared: true` (its envelope's `at` is when it ended), so a clear read alone still says what it was.
 */
export type AlertPayload = {
  /** Stable and machine-readable, e.g. `vipps-5080`; one alert per code is active at a time. */
  code: string;
  severity: AlertSeverity;
  /** For staff and HQ, in plain words: what is wrong and what to do. Never customer data. */
  message: string;
  /** When the alert was raised (the clear repeats it). */
  since: Timestamp;
  cleared: boolean;
};

/** Who raised an alert HQ keeps: a kiosk (its `events/alert`) or HQ's collector rules. */
export const HQ_ALERT_SOURCES = ['kiosk', 'hq'] as const;
export type HqAlertSource = (typeof HQ_ALERT_SOURCES)[number];

/**
 * What HQ publishes on its alert topic (`vk/v1/hq/alerts`) each time an alert's row is raised or
 * cleared in its database: once per change, however many collector replicas run. `clearedAt` null:
 * raised; a time: cleared then (the rest repeats the raise, so a clear read alone says what it was).
 */
export type HqAlertPayload = {
  site: string;
  device: string;
  /** A kiosk's own code (`vipps-5080`) or an HQ rule's (`hq-offline`, …). */
  code: string;
  source: HqAlertSource;
  severity: AlertSeverity;
  /** For HQ's operations person, in plain words. Never customer data. */
  message: string;
  raisedAt: Timestamp;
  clearedAt: Timestamp | null;
};

/** A count and its amount (minor units), as an X or Z report gives them. */
export type ReportCountAmount = { count: number; amount: MinorUnits };

/**
 * An X or Z report of the Norwegian cash register (device/cash-register/reports.ts) as sent to HQ: the
 * journaled report without its per-article lines (the SAF-T file has those). Figures only; money keys
 * end in `amount` (the payload guard lets long numbers through only there).
 */
export type CashRegisterReport = {
  kind: 'x' | 'z';
  /** Z reports are numbered 1, 2, … without gaps; X reports have their own series. */
  number: number;
  at: Timestamp;
  /** The journal rows after the last Z report, up to this report's own row. */
  period: { previousZ: number | null; from: Timestamp | null; fromRow: number; toRow: number };
  receipts: number;
  /** Sales, VAT included, and net of VAT. */
  sales: { amount: MinorUnits; netAmount: MinorUnits };
  payments: Array<{ type: string; count: number; amount: MinorUnits }>;
  /** Per VAT rate (basis points): the sales without VAT and the VAT. */
  vat: Array<{ rate: number; basisAmount: MinorUnits; amount: MinorUnits }>;
  returns: ReportCountAmount;
  discounts: ReportCountAmount;
  copies: ReportCountAmount;
  training: ReportCountAmount;
  priceLookups: ReportCountAmount;
  /** Receipt numbers journaled void: the payment did not complete. */
  voids: ReportCountAmount;
  /** Sales concluded without a printed receipt. */
  notPrinted: ReportCountAmount;
  /** Since the journal's start, VAT included: sales, returns, and sales less returns. */
  grandTotal: { salesAmount: MinorUnits; returnsAmount: MinorUnits; netAmount: MinorUnits };
};

/** The payload of each event type. */
export type EventPayloads = {
  'checkout-completed': {
    reference: PaymentReference | null;
    receiptNumber: string;
    amount: MinorUnits;
    currency: Currency;
    items: number;
    /** `rate` in basis points (1500 = 15 %). */
    vat: Array<{ rate: number; amount: MinorUnits }>;
    memberSavings: MinorUnits;
  };
  'checkout-declined': {
    reference: PaymentReference | null;
    reason: DeclineReason;
    amount: MinorUnits | null;
  };
  'checkout-cancelled': { reference: PaymentReference | null; amount: MinorUnits | null };
  'payments-recovered': RecoveryTotals;
  'club-enrolment': { outcome: ClubEnrolmentOutcome; basketSavings: MinorUnits };
  'selftest-completed': {
    result: CheckStatus;
    checks: Array<{ check: string; status: CheckStatus; detail: string }>;
  };
  'scanner-attached': { scanner: 'attached' | 'simulated' };
  'scanner-detached': { scanner: 'missing' };
  'vipps-unreachable': { screen: ScreenName };
  'vipps-reachable': { screen: ScreenName };
  alert: AlertPayload;
  report: CashRegisterReport;
  /** Goods returned and refunded through Vipps (the Norwegian cash register's Returkvittering). */
  'return-completed': {
    /** The sale's payment, which the refund was made on. */
    reference: PaymentReference;
    returnNumber: string;
    returnOf: string;
    /** Refunded, a positive amount. */
    amount: MinorUnits;
    currency: Currency;
  };
};

/** Every event type, in the document's order. */
export const EVENT_TYPES = [
  'checkout-completed',
  'checkout-declined',
  'checkout-cancelled',
  'payments-recovered',
  'club-enrolment',
  'selftest-completed',
  'scanner-attached',
  'scanner-detached',
  'vipps-unreachable',
  'vipps-reachable',
  'alert',
  'report',
  'return-completed',
] as const satisfies ReadonlyArray<keyof EventPayloads>;
export type EventType = (typeof EVENT_TYPES)[number];

/** `money` events are never dropped from the kiosk's outbox; `info` events go oldest first when it is full. */
export type EventClass = 'money' | 'info';

export const EVENT_CLASSES = {
  'checkout-completed': 'money',
  'checkout-declined': 'money',
  'checkout-cancelled': 'money',
  'payments-recovered': 'money',
  'club-enrolment': 'info',
  'selftest-completed': 'info',
  'scanner-attached': 'info',
  'scanner-detached': 'info',
  'vipps-unreachable': 'info',
  'vipps-reachable': 'info',
  alert: 'info',
  report: 'money',
  'return-completed': 'money',
} as const satisfies Record<EventType, EventClass>;

/** What goes on `events/{type}`: the envelope HQ de-duplicates by `id`. */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: {
    id: Ulid;
    type: K;
    class: (typeof EVENT_CLASSES)[K];
    at: Timestamp;
    payload: EventPayloads[K];
  };
}[T];

// ---------------------------------------------------------------------------------------------------
// cmd/{name} and resp/{name}

/** HQ's correlation id, echoed in the answer. */
export type TransactionId = string;

/**
 * The arguments of each command HQ sends: the `args` of the signed payload (contracts/hq-command.ts);
 * what goes on the topic is the SignedCommand envelope around it.
 */
export type CommandRequests = {
  identify: { seconds?: number };
  diagnostics: Record<string, never>;
  'reload-catalog': Record<string, never>;
  maintenance: { state: 'on' | 'off' };
  reboot: Record<string, never>;
  report: { kind: 'x' | 'z' };
  /** Local (Norwegian) dates YYYY-MM-DD or "today", both included. */
  'saft-export': { from: string; to: string };
};

export const COMMAND_NAMES = [
  'identify',
  'diagnostics',
  'reload-catalog',
  'maintenance',
  'reboot',
  'report',
  'saft-export',
] as const satisfies ReadonlyArray<keyof CommandRequests>;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The kiosk's MQTT link as `diagnostics` reports it. */
export interface TelemetryLinkStats {
  connected: boolean;
  /** Successful connections since start (the `session` number in `status`). */
  sessions: number;
  outboxDepth: number;
  outboxDegraded: boolean;
  inflight: number;
  eventsAcked: number;
  statesPublished: number;
  refusedPayloads: number;
  /** HQ commands refused since start: retained, unsigned, unknown key, forged, stale or replayed. */
  refusedCommands: number;
  /** 5, or 4 once a broker turned MQTT 5 down and the kiosk fell back to 3.1.1. */
  protocolVersion: 4 | 5;
}

/** The `result` of each command carried out. */
export type CommandResults = {
  identify: { blinkingForSeconds: number };
  diagnostics: {
    version: string;
    node: string;
    uptimeSeconds: number;
    screen: ScreenName;
    machineState: string;
    vippsReachable: boolean;
    recovery: RecoveryTotals | null;
    catalogProducts: number;
    telemetry: TelemetryLinkStats;
  };
  'reload-catalog': { products: number };
  maintenance: { maintenance: 'on' | 'off'; screen: ScreenName };
  reboot: { rebootingInSeconds: number };
  report: CashRegisterReport;
  /** The file went out on `files/{transactionId}` before this answer (contracts/file-transfer.ts). */
  'saft-export': FileManifest;
};

/** A command refused or failed; `transactionId` null when the request had none. Never personal data. */
export type ErrorResponse = { transactionId: TransactionId | null; ok: false; error: string };

export type CommandResponse<N extends CommandName = CommandName> =
  | { [K in N]: { transactionId: TransactionId; ok: true; result: CommandResults[K] } }[N]
  | ErrorResponse;

// ---------------------------------------------------------------------------------------------------
// The map

/** Every topic under `vk/v1/{site}/{device}/`, by the rest of its name, and what it carries. */
export type DeviceTopicMap = {
  status: StatusPayload;
  state: StatePayload;
  health: HealthPayload;
} & { [T in EventType as `events/${T}`]: EventEnvelope<T> } & {
  [N in CommandName as `cmd/${N}`]: SignedCommand;
} & { [N in CommandName as `resp/${N}`]: CommandResponse<N> };

export type DeviceTopic = keyof DeviceTopicMap;

/** `vk/v1/vipps/{msn}/payments/{reference}`: a Vipps ePayment webhook relayed by HQ. */
export type VippsPaymentTopicPayload = RelayedPayment;

/**
 * The payload of a whole topic string, e.g. `TopicPayload<'vk/v1/oslo-1/kiosk-07/events/alert'>` is
 * `EventEnvelope<'alert'>`; `never` for a topic outside the contract.
 */
export type TopicPayload<Topic extends string> = Topic extends `vk/v1/vipps/${string}/payments/${string}`
  ? VippsPaymentTopicPayload
  : Topic extends 'vk/v1/hq/alerts'
    ? HqAlertPayload
    : Topic extends `vk/v1/${string}/${string}/${infer Rest extends DeviceTopic}`
      ? DeviceTopicMap[Rest]
      : never;
