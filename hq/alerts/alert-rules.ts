import type { AlertSeverity } from '../../contracts/telemetry.js';
import { type ClosingTimes, closingTimeOf, lastClosingDeadline, NO_CLOSING_TIMES } from './closing-times.js';

// HQ's alert rules: from what the collector stored of one kiosk (its facts), whether each of HQ's
// alerts should be open, and in what words. Pure: the clock is a parameter, the database is read
// elsewhere (kiosk-facts.ts), so each rule is decided the same on every replica and in tests.

type Json = Record<string, unknown>;

/** HQ's rules' codes: `hq-` keeps them apart from the kiosks' own (`vipps-5080`, `printer-paper-out`). */
export const HQ_ALERT_CODES = [
  'hq-offline',
  'hq-vipps-unreachable',
  'hq-scanner-missing',
  'hq-printer-fault',
  'hq-payments-unresolved',
  'hq-outbox-growing',
  'hq-no-z-report',
] as const;
export type HqAlertCode = (typeof HQ_ALERT_CODES)[number];

export interface AlertThresholds {
  /** A kiosk offline (its last will or a clean stop) this long is an alert. */
  offlineMinutes: number;
  /** The outbox depth from which a rising backlog is an alert, and under which it clears. */
  outboxBacklog: number;
  /** How many health samples in a row must each show a deeper outbox than the one before. */
  outboxRisingSamples: number;
  /** How long after a site's closing time its kiosks' Z reports may take. */
  zReportGraceMinutes: number;
  closingTimes: ClosingTimes;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  offlineMinutes: 10,
  outboxBacklog: 100,
  outboxRisingSamples: 3,
  zReportGraceMinutes: 15,
  closingTimes: NO_CLOSING_TIMES,
};

/** What one rule says of one kiosk: the alert open (with its words) or not. */
export type Condition =
  | { code: HqAlertCode; open: true; severity: AlertSeverity; message: string }
  | { code: HqAlertCode; open: false };

/** What the collector stored of one kiosk, as far as each rule needs it; absent: not known (yet). */
export interface KioskFacts {
  site: string;
  device: string;
  /** The current connection's status (a late will of an older session does not count). */
  presence?: { state: 'online' | 'offline'; since: Date };
  /** The latest retained `state`; null when it was cleared. */
  state?: Json | null;
  /** The latest `payments-recovered` totals, for a kiosk whose state carries none. */
  recovered?: Json;
  /** The latest health samples, newest first. */
  health?: Json[];
  /** Whether the kiosk runs a cash register (it has sent a report), and its latest Z report's time. */
  reports?: { lastZAt: Date | null };
}

const clockTime = (at: Date) =>
  at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

const closed = (code: HqAlertCode): Condition => ({ code, open: false });

export function offlineCondition(facts: KioskFacts, now: number, t: AlertThresholds): Condition[] {
  const presence = facts.presence;
  if (!presence) return [];
  const longEnough = now - presence.since.getTime() >= t.offlineMinutes * 60_000;
  if (presence.state === 'online' || !longEnough) return [closed('hq-offline')];
  return [
    {
      code: 'hq-offline',
      open: true,
      severity: 'critical',
      message:
        `The kiosk has been offline for more than ${t.offlineMinutes} minutes (since ` +
        `${clockTime(presence.since)}). It cannot take payments: check its power and the shop's network.`,
    },
  ];
}

/** Vipps reachable, the scanner attached: the retained state says both. */
export function stateConditions(facts: KioskFacts): Condition[] {
  const state = facts.state;
  if (state === undefined) return [];
  const conditions: Condition[] = [];
  if (state?.vippsReachable === false)
    conditions.push({
      code: 'hq-vipps-unreachable',
      open: true,
      severity: 'critical',
      message:
        'The kiosk cannot reach Vipps: customers cannot pay. Check the shop’s internet connection; if it ' +
        'works, Vipps itself may be down.',
    });
  else conditions.push(closed('hq-vipps-unreachable'));
  if (state?.scannerAttached === false)
    conditions.push({
      code: 'hq-scanner-missing',
      open: true,
      severity: 'critical',
      message:
        'The kiosk’s barcode scanner is not connected: customers cannot scan their goods. Check its USB cable.',
    });
  else conditions.push(closed('hq-scanner-missing'));
  return conditions;
}

/** The recovery totals the retained state carries, or else the latest `payments-recovered` event's. */
export function recoveryCondition(facts: KioskFacts): Condition[] {
  const fromState = facts.state?.recovery;
  const totals = (fromState !== null && typeof fromState === 'object' ? fromState : facts.recovered) as
    | Json
    | undefined;
  if (totals === undefined) return [];
  const unresolved = typeof totals.unresolved === 'number' ? totals.unresolved : 0;
  if (unresolved <= 0) return [closed('hq-payments-unresolved')];
  return [
    {
      code: 'hq-payments-unresolved',
      open: true,
      severity: 'warning',
      message:
        `${unresolved} payment${unresolved === 1 ? '' : 's'} the kiosk's recovery could not settle with ` +
        'Vipps. Look the kiosk’s payments up in the Vipps portal and capture or cancel them there.',
    },
  ];
}

const FAULTY_PRINTER: ReadonlySet<unknown> = new Set(['paper-out', 'cover-open', 'offline']);

const outboxDepth = (sample: Json | undefined) =>
  typeof sample?.outboxDepth === 'number' ? sample.outboxDepth : undefined;

/** The printer's condition and the outbox's trend: the latest health samples say both. */
export function healthConditions(facts: KioskFacts, t: AlertThresholds): Condition[] {
  const samples = facts.health;
  if (samples === undefined || samples.length === 0) return [];
  const conditions: Condition[] = [];
  const printer = samples[0]?.printer as Json | undefined;
  if (FAULTY_PRINTER.has(printer?.condition))
    conditions.push({
      code: 'hq-printer-fault',
      open: true,
      severity: 'warning',
      message:
        `The receipt printer reports ${String(printer?.condition).replace('-', ' ')}: sales go on without ` +
        'printed receipts. Refill the paper, close the cover or check its cable.',
    });
  else conditions.push(closed('hq-printer-fault'));
  const depths = samples.slice(0, t.outboxRisingSamples).map(outboxDepth);
  const latest = depths[0];
  const rising =
    depths.length === t.outboxRisingSamples &&
    depths.every(
      (depth, i) => depth !== undefined && (i === depths.length - 1 || depth > (depths[i + 1] ?? 0)),
    );
  if (latest !== undefined && latest >= t.outboxBacklog && rising)
    conditions.push({
      code: 'hq-outbox-growing',
      open: true,
      severity: 'warning',
      message:
        `${latest} events wait in the kiosk's outbox and the backlog keeps growing: HQ is not receiving ` +
        'its sales. Check the broker and the kiosk’s connection to it.',
    });
  // Open while the backlog stays at or over the threshold, even when it stops rising for a sample.
  else if (latest !== undefined && latest < t.outboxBacklog) conditions.push(closed('hq-outbox-growing'));
  return conditions;
}

/** A kiosk with a cash register must have made a Z report of the last day whose closing time passed. */
export function zReportCondition(facts: KioskFacts, now: number, t: AlertThresholds): Condition[] {
  const time = closingTimeOf(t.closingTimes, facts.site);
  if (time === undefined || facts.reports === undefined) return [];
  const { dayStart, deadline } = lastClosingDeadline(now, time, t.zReportGraceMinutes * 60_000);
  const lastZ = facts.reports.lastZAt;
  if (lastZ !== null && lastZ.getTime() >= dayStart.getTime()) return [closed('hq-no-z-report')];
  return [
    {
      code: 'hq-no-z-report',
      open: true,
      severity: 'warning',
      message:
        `No Z report from the kiosk for ${dayStart.toLocaleDateString('sv-SE')} by ${clockTime(deadline)} ` +
        `(closing time ${time}). Make one from the staff menu, or check why its automatic one did not come.`,
    },
  ];
}

/** Every rule over the facts given; a rule whose facts are absent says nothing (its alert stays as is). */
export function conditions(facts: KioskFacts, now: number, t: AlertThresholds): Condition[] {
  return [
    ...offlineCondition(facts, now, t),
    ...stateConditions(facts),
    ...recoveryCondition(facts),
    ...healthConditions(facts, t),
    ...zReportCondition(facts, now, t),
  ];
}
