import { SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { journalRequest } from '../support/journal-fixtures.js';

// Child process for the power-loss test: writes payments to the journal as fast as it can, printing the
// number of each payment once its steps are committed, until it is killed.
const [path, prefix] = process.argv.slice(2) as [string, string];
const journal = SqliteJournal.open(path);
for (let n = 1; ; n++) {
  const reference = `${prefix}-${String(n).padStart(10, '0')}-1`;
  journal.paymentRequested(journalRequest(reference, 100 + n), `${reference}-create`);
  journal.step(reference, 'create-answered', { created: true });
  journal.step(reference, 'capture-requested', { amount: 100 + n }, `${reference}-capture-1`);
  if (n % 2 === 0) journal.close(reference, 'captured');
  process.stdout.write(`${n}\n`);
  if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
