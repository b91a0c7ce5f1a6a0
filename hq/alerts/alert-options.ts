import { UsageError } from '../../common/cli/args.js';
import { type AlertThresholds, DEFAULT_THRESHOLDS } from './alert-rules.js';
import { parseClosingTimes } from './closing-times.js';

// The alert rules' settings as `hq collect` options, each with its default (DEFAULT_THRESHOLDS).

export const ALERT_OPTIONS = {
  'offline-minutes': { type: 'string' },
  'outbox-backlog': { type: 'string' },
  'outbox-samples': { type: 'string' },
  'closing-time': { type: 'string', multiple: true },
  'z-report-grace': { type: 'string' },
  'alert-sweep-seconds': { type: 'string' },
} as const;

export const DEFAULT_SWEEP_SECONDS = 30;

export const alertOptionsUsage = `  Alerts (docs/hq-operations.md): --offline-minutes N (default ${DEFAULT_THRESHOLDS.offlineMinutes}),
  --outbox-backlog N events (${DEFAULT_THRESHOLDS.outboxBacklog}) rising over --outbox-samples N health samples
  (${DEFAULT_THRESHOLDS.outboxRisingSamples}), --closing-time HH:MM or SITE=HH:MM (repeatable; none: no Z report rule)
  with --z-report-grace N minutes (${DEFAULT_THRESHOLDS.zReportGraceMinutes}); the fleet is swept every
  --alert-sweep-seconds N (${DEFAULT_SWEEP_SECONDS}).`;

type AlertOptionValues = { [K in keyof typeof ALERT_OPTIONS]?: K extends 'closing-time' ? string[] : string };

function whole(
  values: AlertOptionValues,
  name: keyof AlertOptionValues,
  fallback: number,
  min: number,
): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(number) || number < min)
    throw new UsageError(`--${name} must be a whole number, at least ${min}, not "${String(value)}"`);
  return number;
}

export function alertSettings(values: AlertOptionValues): {
  thresholds: AlertThresholds;
  sweepEveryMs: number;
} {
  return {
    thresholds: {
      offlineMinutes: whole(values, 'offline-minutes', DEFAULT_THRESHOLDS.offlineMinutes, 1),
      outboxBacklog: whole(values, 'outbox-backlog', DEFAULT_THRESHOLDS.outboxBacklog, 1),
      outboxRisingSamples: whole(values, 'outbox-samples', DEFAULT_THRESHOLDS.outboxRisingSamples, 2),
      zReportGraceMinutes: whole(values, 'z-report-grace', DEFAULT_THRESHOLDS.zReportGraceMinutes, 0),
      closingTimes: parseClosingTimes(values['closing-time'] ?? []),
    },
    sweepEveryMs: whole(values, 'alert-sweep-seconds', DEFAULT_SWEEP_SECONDS, 1) * 1_000,
  };
}
