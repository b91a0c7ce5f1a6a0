import { ConfigError } from '../config/load.js';
import { UsageError } from './args.js';
import { clubCommand, clubUsage } from './club-command.js';
import { configCommand, configUsage } from './config-command.js';
import { demoCommand, demoUsage } from './demo-command.js';
import { hqCommand, hqUsage } from './hq-command.js';
import { provisionCommand, provisionUsage } from './provision-command.js';
import { runCommand, runUsage } from './run-command.js';
import { sandboxCommand, sandboxUsage } from './sandbox-command.js';
import { selftestCommand, selftestUsage } from './selftest-command.js';
import { webhookRelayCommand, webhookRelayUsage } from './webhook-relay-command.js';
import { webhooksCommand, webhooksUsage } from './webhooks-command.js';

interface Command {
  run(argv: string[]): Promise<void>;
  usage: string;
}

const commands: Record<string, Command> = {
  demo: { run: demoCommand, usage: demoUsage },
  sandbox: { run: sandboxCommand, usage: sandboxUsage },
  config: { run: configCommand, usage: configUsage },
  hq: { run: hqCommand, usage: hqUsage },
  'webhook-relay': { run: webhookRelayCommand, usage: webhookRelayUsage },
  webhooks: { run: webhooksCommand, usage: webhooksUsage },
  club: { run: clubCommand, usage: clubUsage },
  run: { run: runCommand, usage: runUsage },
  provision: { run: provisionCommand, usage: provisionUsage },
  selftest: { run: selftestCommand, usage: selftestUsage },
};

function help(): string {
  return `${[
    'vipps-kiosk — self-service Vipps MobilePay payment kiosk',
    ...Object.values(commands).map((c) => c.usage),
    'vipps-kiosk help            this text; vipps-kiosk COMMAND --help: that command',
  ].join('\n\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`vipps-kiosk: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vipps-kiosk ${name}: ${error.message}\n\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const hint = taken
      ? ' — another program has that port; choose another (see the options in `vipps-kiosk help`)'
      : '';
    process.stderr.write(
      `vipps-kiosk ${name}: ${error instanceof Error ? error.message : String(error)}${hint}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
