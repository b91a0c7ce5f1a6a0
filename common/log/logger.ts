import { maskField, maskPersonalData } from './mask.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined | null>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// systemd-journald reads these sd-daemon prefixes from stdout as the entry's priority.
const JOURNAL_PRIORITY: Record<LogLevel, string> = { debug: '<7>', info: '<6>', warn: '<4>', error: '<3>' };

export interface LoggerOptions {
  level: LogLevel;
  /** Under systemd, prefix lines with the journal priority and leave timestamps to journald. */
  journal: boolean;
  write?: (line: string) => void;
}

/**
 * One line per event, `key=value` fields after the message. A field named for a person (`name`,
 * `email`, `phone`) is masked whatever it holds, and every line passes through the personal data
 * mask, so a phone number that slips into a message is masked on the way out.
 */
export function createLogger(options: LoggerOptions, component = 'kiosk'): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[options.level]) return;
    const tail = fields
      ? Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${formatValue(maskField(k, String(v)))}`)
          .join(' ')
      : '';
    const head = options.journal
      ? JOURNAL_PRIORITY[level]
      : `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)}`;
    write(maskPersonalData(`${head} [${component}] ${message}${tail ? ` ${tail}` : ''}`));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (name) => createLogger(options, `${component}/${name}`),
  };
}

function formatValue(text: string): string {
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
