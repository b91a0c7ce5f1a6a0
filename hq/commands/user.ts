import { createInterface } from 'node:readline';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { databaseOption, openDatabase } from '../database/database.js';
import { isRole, MIN_PASSWORD_LENGTH, ROLES, UserStore, userNameProblem } from '../web/users.js';

export const hqUserUsage = `vipps-kiosk hq user add --database URL NAME --role ${ROLES.join('|')}
vipps-kiosk hq user list --database URL
vipps-kiosk hq user remove --database URL NAME
  The HQ page's users. add asks for the password (at least ${MIN_PASSWORD_LENGTH} characters; from the first line
  of stdin when that is not a terminal, never from the command line) and stores its argon2id hash;
  adding a user that exists sets its role and password and signs it out. A viewer sees everything;
  an operator may also send commands to kiosks. remove signs the user out at once.`;

/** The password: typed twice without echo on a terminal, else the first line of stdin. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new UsageError('no password on stdin');
  }
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Again: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') process.exit(130); // Ctrl-C
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

export async function hqUserCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    database: { type: 'string' },
    role: { type: 'string' },
  });
  const [, action, name, ...extra] = positionals; // positionals[0] is "user"
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action !== 'add' && action !== 'list' && action !== 'remove')
    throw new UsageError('expected hq user add, list or remove');
  if (action !== 'list') {
    if (name === undefined) throw new UsageError(`hq user ${action} needs the user's NAME`);
    const problem = userNameProblem(name);
    if (problem) throw new UsageError(problem);
  }
  if (action === 'add' && !isRole(values.role)) throw new UsageError(`--role must be ${ROLES.join(' or ')}`);
  const target = databaseOption(values.database);
  const password = action === 'add' ? await readPassword() : '';
  if (action === 'add' && password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const database = await openDatabase(target, { max: 1 });
  try {
    const users = new UserStore(database.pool);
    if (action === 'list') {
      const all = await users.list();
      process.stdout.write(
        all.length === 0
          ? 'No HQ users yet: hq user add --database URL NAME --role operator\n'
          : all.map((u) => `${u.name}\t${u.role}\tsince ${u.createdAt.toISOString()}\n`).join(''),
      );
    } else if (action === 'add') {
      const role = values.role as (typeof ROLES)[number];
      const added = await users.add(name!, role, password);
      process.stdout.write(`${added ? 'added' : 'updated (and signed out)'} ${name} as ${role}\n`);
    } else {
      if (!(await users.remove(name!))) throw new Error(`there is no HQ user "${name}"`);
      process.stdout.write(`removed ${name}\n`);
    }
  } finally {
    await database.close();
  }
}
