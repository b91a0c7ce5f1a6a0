import { SCREEN_NAMES, type ScreenName } from '../contracts/screen-model.js';
import { TOPIC_ROOT } from '../contracts/topics.js';
import type { Currency } from '../contracts/vipps-types.js';
import { alignedTable } from './terminal-text.js';

/**
 * HQ's fleet view: a pure model of what the kiosks publish under `vk/v1/{site}/{device}/...`
 * (device/telemetry/README.md, "Wire contract"). Feed it every MQTT message as `(topic, payload text)`;
 * it keeps one row per {site, device}. Nothing a kiosk (or anyone else) publishes can make it throw:
 * what it cannot read is counted, on the kiosk's row when the topic names one, else on the view.
 */

/** What HQ subscribes to: every kiosk's subtree. */
export const FLEET_FILTER = `${TOPIC_ROOT}/+/+/#`;

/** Event ids remembered per kiosk for de-duplication (at-least-once delivery repeats recent ones). */
const SEEN_EVENT_IDS = 5_000;

/** What a kiosk sent where a known name belongs (a screen, a currency) but that is none of them. */
export const INVALID = 'invalid';

export interface LastSale {
  /** Minor units (øre), as the kiosk sends it. */
  amount: number;
  currency: Currency | typeof INVALID;
  /** Epoch ms, from the event's `at` (the kiosk's clock). */
  at: number;
}

export interface FleetRow {
  site: string;
  device: string;
  /** `undefined` until a `status` message arrives (or after the retained status was cleared). */
  online: boolean | undefined;
  /** When HQ saw the change (epoch ms); `undefined` for a retained status (the broker does not say when). */
  since: number | undefined;
  version: string | undefined;
  bootId: string | undefined;
  session: number | undefined;
  screen: ScreenName | typeof INVALID | undefined;
  vippsReachable: boolean | undefined;
  lastSale: LastSale | undefined;
  /** Counted since HQ started watching (events are not retained). */
  sales: number;
  declines: number;
  cancels: number;
  outboxDepth: number | undefined;
  degraded: boolean | undefined;
  /**
   * What went wrong since HQ started watching: problems the kiosk reported (Vipps unreachable, the
   * scanner unplugged) and messages on its topics that could not be read (bad JSON, wrong shape).
   */
  errors: number;
  /** Epoch ms of the last message from this kiosk that HQ could read. */
  lastSeen: number | undefined;
}

export interface IngestMeta {
  /** Epoch ms when the message arrived; defaults to `Date.now()`. */
  now?: number;
  /** The broker's retain flag: a retained message is old news of unknown age. */
  retained?: boolean;
}

interface Entry {
  row: FleetRow;
  seen: Set<string>;
  /** `startedAt` (epoch ms) of the boot the current status belongs to, to order boots. */
  startedAt: number | undefined;
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const SCREENS: ReadonlySet<string> = new Set(SCREEN_NAMES);
const CURRENCIES: ReadonlySet<string> = new Set<Currency>(['NOK', 'DKK', 'EUR']);

type Json = Record<string, unknown>;

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function epoch(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export class FleetView {
  private readonly entries = new Map<string, Entry>();
  /** Messages on topics outside `vk/v1/{site}/{device}/{status,state,health,events/*,cmd/*,resp/*}`. */
  unknownTopics = 0;
  /** Bumped on every change a table would show; a watcher reprints when it moves. */
  version = 0;

  /** Reads one message. Returns whether the view changed. Never throws. */
  ingest(topic: string, text: string, meta: IngestMeta = {}): boolean {
    const now = meta.now ?? Date.now();
    const levels = topic.split('/');
    const [root, version, site, device, kind, name, ...rest] = levels;
    if (
      `${root}/${version}` !== TOPIC_ROOT ||
      site === undefined ||
      device === undefined ||
      !SEGMENT.test(site) ||
      !SEGMENT.test(device) ||
      kind === undefined ||
      rest.length > 0
    ) {
      return this.unknown();
    }
    if (kind === 'cmd' || kind === 'resp') {
      // HQ's own commands and the kiosks' answers: valid traffic, not part of the table.
      return name !== undefined && SEGMENT.test(name) ? false : this.unknown();
    }
    const isEvent = kind === 'events' && name !== undefined && SEGMENT.test(name);
    const isTopLevel = name === undefined && (kind === 'status' || kind === 'state' || kind === 'health');
    if (!isEvent && !isTopLevel) return this.unknown();

    const entry = this.entry(site, device);
    let changed: boolean;
    if (kind === 'status') changed = this.status(entry, text, now, meta.retained === true);
    else if (kind === 'state') changed = this.state(entry, text);
    else if (kind === 'health') changed = this.health(entry, text);
    else changed = this.event(entry, text, now);
    if (changed) {
      entry.row.lastSeen = now;
      this.version += 1;
    }
    return changed;
  }

  /** One row per kiosk, sorted by site, then device. Copies: the caller may keep them. */
  rows(): FleetRow[] {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry.row, lastSale: entry.row.lastSale && { ...entry.row.lastSale } }))
      .sort((a, b) => compare(a.site, b.site) || compare(a.device, b.device));
  }

  private unknown(): boolean {
    this.unknownTopics += 1;
    this.version += 1;
    return true;
  }

  private entry(site: string, device: string): Entry {
    const key = `${site}/${device}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        seen: new Set(),
        startedAt: undefined,
        row: {
          site,
          device,
          online: undefined,
          since: undefined,
          version: undefined,
          bootId: undefined,
          session: undefined,
          screen: undefined,
          vippsReachable: undefined,
          lastSale: undefined,
          sales: 0,
          declines: 0,
          cancels: 0,
          outboxDepth: undefined,
          degraded: undefined,
          errors: 0,
          lastSeen: undefined,
        },
      };
      this.entries.set(key, entry);
      this.version += 1;
    }
    return entry;
  }

  private error(entry: Entry): true {
    entry.row.errors += 1;
    return true;
  }

  private status(entry: Entry, text: string, now: number, retained: boolean): boolean {
    const row = entry.row;
    if (text === '') {
      // A cleared retained status (a decommissioned kiosk): nothing is known any more.
      row.online = undefined;
      row.since = undefined;
      return true;
    }
    const status = parseObject(text);
    const state = status?.state;
    if (!status || (state !== 'online' && state !== 'offline')) return this.error(entry);
    const bootId = str(status.bootId);
    const session = num(status.session);
    const startedAt = epoch(status.startedAt);
    if (state === 'offline' && row.online === true && this.isStale(entry, bootId, session, startedAt)) {
      // The late will of an older session or boot: the kiosk is back already.
      return false;
    }
    const online = state === 'online';
    if (row.online !== online) row.since = retained ? undefined : now;
    row.online = online;
    row.version = str(status.version) ?? row.version;
    row.bootId = bootId;
    row.session = session;
    entry.startedAt = startedAt;
    return true;
  }

  private isStale(
    entry: Entry,
    bootId: string | undefined,
    session: number | undefined,
    startedAt: number | undefined,
  ): boolean {
    const row = entry.row;
    if (bootId !== undefined && bootId === row.bootId) {
      return session !== undefined && row.session !== undefined && session < row.session;
    }
    // Another boot: an older one if it started before the current one.
    return startedAt !== undefined && entry.startedAt !== undefined && startedAt < entry.startedAt;
  }

  private state(entry: Entry, text: string): boolean {
    const row = entry.row;
    if (text === '') {
      row.screen = undefined;
      row.vippsReachable = undefined;
      return true;
    }
    const state = parseObject(text);
    if (!state) return this.error(entry);
    const screen = str(state.screen);
    row.screen = screen === undefined || SCREENS.has(screen) ? (screen as ScreenName | undefined) : INVALID;
    row.vippsReachable = bool(state.vippsReachable);
    if (row.screen === INVALID) row.errors += 1;
    return true;
  }

  private health(entry: Entry, text: string): boolean {
    const health = parseObject(text);
    if (!health) return this.error(entry);
    entry.row.outboxDepth = num(health.outboxDepth);
    entry.row.degraded = bool(health.degraded);
    return true;
  }

  private event(entry: Entry, text: string, now: number): boolean {
    const event = parseObject(text);
    const id = str(event?.id);
    if (!event || id === undefined || id === '') return this.error(entry);
    if (entry.seen.has(id)) return false; // at least once: the same event again after a lost PUBACK
    entry.seen.add(id);
    if (entry.seen.size > SEEN_EVENT_IDS) {
      const oldest = entry.seen.values().next().value;
      if (oldest !== undefined) entry.seen.delete(oldest);
    }
    const row = entry.row;
    const payload = parseObjectValue(event.payload);
    switch (str(event.type)) {
      case 'checkout-completed': {
        row.sales += 1;
        const amount = num(payload?.amount);
        if (amount === undefined) return this.error(entry);
        const at = epoch(event.at) ?? now;
        const sent = str(payload?.currency) ?? 'NOK';
        const currency = CURRENCIES.has(sent) ? (sent as Currency) : INVALID;
        if (currency === INVALID) row.errors += 1;
        if (!row.lastSale || at >= row.lastSale.at) row.lastSale = { amount, currency, at };
        return true;
      }
      case 'checkout-declined':
        row.declines += 1;
        return true;
      case 'checkout-cancelled':
        row.cancels += 1;
        return true;
      case 'vipps-unreachable':
      case 'scanner-detached':
        row.errors += 1;
        return true;
      default:
        // payments-recovered and event types this HQ does not know yet: read, not shown.
        return true;
    }
  }
}

function parseObjectValue(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Intl formatters are costly to build and the table is redrawn every second.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `minor` in øre/cents, formatted the Norwegian way (`1 234,50 kr`, with no-break spaces). */
export function formatMoney(minor: number, currency = 'NOK'): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('nb-NO', { style: 'currency', currency });
    } catch {
      // Not an ISO 4217 code: show the number with the code the kiosk sent.
      return `${(minor / 100).toFixed(2)} ${currency}`;
    }
    moneyFormats.set(currency, format);
  }
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** "0 s ago", "59 s ago", "3 min ago", "5 h ago", "2 d ago"; a clock ahead of HQ's reads "0 s ago". */
export function formatAge(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

const HEADERS = [
  'SITE',
  'DEVICE',
  'ONLINE',
  'SINCE',
  'SCREEN',
  'VIPPS',
  'LAST SALE',
  'SALES',
  'DECLINED',
  'OUTBOX',
  'ERRORS',
] as const;
/** Counts read better right-aligned. */
const RIGHT = new Set<string>(['SALES', 'DECLINED', 'OUTBOX', 'ERRORS']);

const yesNo = (value: boolean | undefined): string => (value === undefined ? '-' : value ? 'yes' : 'no');

/** `12,50 kr`; an amount in a currency the kiosk should not have sent is shown, its code is not. */
function formatSale(sale: LastSale): string {
  return sale.currency === INVALID
    ? `${(sale.amount / 100).toFixed(2).replace('.', ',')} (invalid currency)`
    : formatMoney(sale.amount, sale.currency);
}

function cells(row: FleetRow, now: number): string[] {
  return [
    row.site,
    row.device,
    row.online === undefined ? '?' : row.online ? 'online' : 'offline',
    row.since === undefined ? '-' : formatAge(row.since, now),
    row.screen === INVALID ? '(invalid)' : (row.screen ?? '-'),
    yesNo(row.vippsReachable),
    row.lastSale ? `${formatSale(row.lastSale)}, ${formatAge(row.lastSale.at, now)}` : '-',
    String(row.sales),
    String(row.declines),
    row.outboxDepth === undefined ? '-' : `${row.outboxDepth}${row.degraded ? ' degraded' : ''}`,
    String(row.errors),
  ];
}

/**
 * The fleet as an aligned plain-text table, one line per kiosk (no trailing spaces, ends with a newline).
 * `now` (epoch ms) makes the ages; the same rows and `now` give the same text.
 */
export function formatFleetTable(rows: readonly FleetRow[], now: number): string {
  if (rows.length === 0) return `No kiosks seen yet on ${FLEET_FILTER}.\n`;
  // Every cell made printable, whatever it came from: the last line of defence for HQ's terminal.
  return alignedTable(
    HEADERS,
    rows.map((row) => cells(row, now)),
    RIGHT,
  );
}
