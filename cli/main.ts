import { UsageError } from '../common/cli/args.js';
import { ConfigError } from '../common/config-error.js';

interface Command {
  run(argv: string[]): Promise<void>;
  usage: string;
}

// Each program owns its commands; this table only names them. A command's module is loaded when it is
// asked for, so `run` on a kiosk never loads the sandbox, the embedded broker, HQ or QR generation.
const commands: Record<string, () => Promise<Command>> = {
  demo: async () => {
    const m = await import('../demo/demo-command.js');
    return { run: m.demoCommand, usage: m.demoUsage };
  },
  sandbox: async () => {
    const m = await import('../sandbox/commands/sandbox.js');
    return { run: m.sandboxCommand, usage: m.sandboxUsage };
  },
  config: async () => {
    const m = await import('../device/commands/config.js');
    return { run: m.configCommand, usage: m.configUsage };
  },
  hq: async () => {
    const m = await import('../hq/commands/hq.js');
    return { run: m.hqCommand, usage: m.hqUsage };
  },
  'webhook-relay': async () => {
    const m = await import('../hq/commands/webhook-relay.js');
    return { run: m.webhookRelayCommand, usage: m.webhookRelayUsage };
  },
  webhooks: async () => {
    const m = await import('../device/commands/webhooks.js');
    return { run: m.webhooksCommand, usage: m.webhooksUsage };
  },
  club: async () => {
    const m = await import('../device/commands/club.js');
    return { run: m.clubCommand, usage: m.clubUsage };
  },
  'cash-register': async () => {
    const m = await import('../device/commands/cash-register.js');
    return { run: m.cashRegisterCommand, usage: m.cashRegisterUsage };
  },
  report: async () => {
    const m = await import('../device/commands/report.js');
    return { run: m.reportCommand, usage: m.reportUsage };
  },
  saft: async () => {
    const m = await import('../device/commands/saft.js');
    return { run: m.saftCommand, usage: m.saftUsage };
  },
  staff: async () => {
    const m = await import('../device/commands/staff.js');
    return { run: m.staffCommand, usage: m.staffUsage };
  },
  // One command name, two programs: `pos pair|list|unpair` is the kiosk's side (device/), `pos serve` the
  // POS's (pos/: the reference cashier screen). Both load, so help shows both; the first word picks one.
  pos: async () => {
    const [kiosk, serve] = await Promise.all([
      import('../device/commands/pos.js'),
      import('../pos/commands/serve.js'),
    ]);
    return {
      run: (argv: string[]) =>
        argv[0] === 'serve' ? serve.posServeCommand(argv.slice(1)) : kiosk.posCommand(argv),
      usage: `${kiosk.posUsage}\n\n${serve.posServeUsage}`,
    };
  },
  run: async () => {
    const m = await import('../device/commands/run.js');
    return { run: m.runCommand, usage: m.runUsage };
  },
  provision: async () => {
    const m = await import('../provisioning/commands/provision.js');
    return { run: m.provisionCommand, usage: m.provisionUsage };
  },
  selftest: async () => {
    const m = await import('../provisioning/commands/selftest.js');
    return { run: m.selftestCommand, usage: m.selftestUsage };
  },
  'host-access': async () => {
    const m = await import('../provisioning/commands/host-access.js');
    return { run: m.hostAccessCommand, usage: m.hostAccessUsage };
  },
};

async function help(): Promise<string> {
  const usages = await Promise.all(Object.values(commands).map(async (load) => (await load()).usage));
  return `${[
    'vipps-kiosk — self-service Vipps MobilePay payment kiosk',
    ...usages,
    'vipps-kiosk help            this text; vipps-kiosk COMMAND --help: that command',
  ].join('\n\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(await help());
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`vipps-kiosk: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const command = await load();
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
