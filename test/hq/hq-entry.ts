/**
 * Test-only stand-in for `vipps-kiosk hq ...` until device/cli/main.ts wires the command: the same
 * error handling (usage error exit 2, anything else exit 1).
 */
import { UsageError } from '../../device/cli/args.js';
import { hqCommand, hqUsage } from '../../device/cli/hq-command.js';

try {
  await hqCommand(process.argv.slice(2));
  process.exitCode = 0;
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`vipps-kiosk hq: ${error.message}\n\nusage: ${hqUsage}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`vipps-kiosk hq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
