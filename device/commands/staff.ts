import { join } from 'node:path';
import QRCode from 'qrcode';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { ConfigError } from '../../common/config-error.js';
import { Employees, PIN, STAFF_FILE, StaffError } from '../staff/employees.js';
import { staffCardCode } from '../staff/staff-card.js';
import { cashRegisterSettings, STATE_OPTIONS } from './cash-register.js';

export const staffUsage = `vipps-kiosk staff add|list|remove|card [--config-dir DIR] [--state-dir DIR]
  add ID --name NAME [--pin-stdin]
          add an employee who may open staff mode; the PIN (4–8 digits) is typed twice, unseen, or read
          once from stdin with --pin-stdin (for scripts); only its argon2id hash is kept
  list    the employees, and whose card is locked after five wrong PINs
  remove ID
          the employee's card opens nothing any more (the journal keeps their log-ins)
  card ID print the employee's staff card code (VKSTAFF1.<id>.<check>) as text and as a QR code to print
  --config-dir  the kiosk's configuration (staffCardKey in its secrets.json); a demo prints its own
  --state-dir   where staff.sqlite is (default: stateDir of that configuration)`;

export async function staffCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...STATE_OPTIONS,
    name: { type: 'string' },
    'pin-stdin': { type: 'boolean' },
  });
  const [action, id] = positionals;
  if (action !== 'list' && id === undefined)
    throw new UsageError(`staff ${action ?? ''}: which employee id?`);
  const settings = await cashRegisterSettings(values);
  if (action === 'card') {
    const key = settings.secrets.staffCardKey;
    if (key === undefined) {
      throw new ConfigError([
        'secrets.json has no staffCardKey, so no staff card can be made: run `vipps-kiosk provision` (it ' +
          'makes the key once)',
      ]);
    }
    const employees = Employees.open(join(settings.stateDir, STAFF_FILE));
    try {
      const employee = employees.find(id ?? '', Date.now());
      if (!employee)
        throw new StaffError(`there is no employee ${id}: add them with \`vipps-kiosk staff add\``);
      const code = staffCardCode(employee.id, key);
      const qr = await QRCode.toString(code, { type: 'utf8', errorCorrectionLevel: 'M' });
      process.stdout.write(`${employee.name} (${employee.id})\n${code}\n\n${qr}\n`);
    } finally {
      employees.close();
    }
    return;
  }
  const employees = Employees.open(join(settings.stateDir, STAFF_FILE));
  try {
    switch (action) {
      case 'add': {
        if (values.name === undefined) throw new UsageError('staff add: --name is required');
        const pin = values['pin-stdin'] ? await pinFromStdin() : await pinTypedTwice();
        const added = await employees.add({ id: id ?? '', name: values.name, pin }, Date.now());
        process.stdout.write(
          `added ${added.name} (${added.id}); print the card with: vipps-kiosk staff card ${added.id}\n`,
        );
        return;
      }
      case 'remove':
        employees.remove(id ?? '');
        process.stdout.write(`removed ${id}: that card opens nothing any more\n`);
        return;
      case 'list': {
        const now = Date.now();
        for (const e of employees.list(now)) {
          const lock =
            e.lockedUntil === null ? '' : `  locked until ${new Date(e.lockedUntil).toISOString()}`;
          process.stdout.write(`${e.id}\t${e.name}${lock}\n`);
        }
        return;
      }
      default:
        throw new UsageError(`unknown staff action "${action ?? ''}"`);
    }
  } finally {
    employees.close();
  }
}

/** Everything on stdin, as the one PIN of a script. */
async function pinFromStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const pin = text.trim();
  if (!PIN.test(pin)) throw new StaffError('the PIN on stdin must be 4–8 digits');
  return pin;
}

/** The PIN typed twice at a terminal (not shown), or two lines piped in; both must agree. */
async function pinTypedTwice(): Promise<string> {
  const lines = stdinLines();
  try {
    const first = await ask(lines, 'PIN (4–8 digits): ');
    if (!PIN.test(first)) throw new StaffError('the PIN must be 4–8 digits');
    const second = await ask(lines, 'The same PIN again: ');
    if (second !== first) throw new StaffError('the two PINs differ: nothing was added');
    return first;
  } finally {
    // Ends the read (and the terminal's raw mode), so the command can exit.
    await lines.return(undefined);
  }
}

async function ask(lines: AsyncIterator<string>, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const next = await lines.next();
  if (process.stdin.isTTY) process.stderr.write('\n');
  if (next.done) throw new StaffError('no PIN was typed: nothing was added');
  return next.value.trim();
}

/** Lines from stdin; at a terminal, read key by key without echo so the PIN is never on screen. */
async function* stdinLines(): AsyncGenerator<string> {
  const tty = process.stdin.isTTY;
  if (tty) process.stdin.setRawMode(true);
  try {
    let line = '';
    for await (const chunk of process.stdin) {
      for (const char of String(chunk)) {
        if (char === '\u0003') throw new StaffError('interrupted: nothing was added');
        if (char === '\n' || (tty && char === '\r')) {
          yield line;
          line = '';
        } else if (char === '\u007f') {
          line = line.slice(0, -1);
        } else {
          line += char;
        }
      }
    }
    if (line !== '') yield line;
  } finally {
    if (tty) process.stdin.setRawMode(false);
  }
}
