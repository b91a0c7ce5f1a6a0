import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { DaemonProcess } from '../crash/daemon-process.js';
import { run } from '../support/cli-process.js';
import { describeWithTools } from '../support/required-tools.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { xmllint } from './till.js';

const MILK = '2000000000015';

describeWithTools(
  'a newcomer’s demo day',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    let sandbox: RunningSandbox;

    beforeAll(async () => {
      sandbox = await startSandbox();
    });

    afterAll(async () => {
      await sandbox.close();
    });

    it('sells in the demo, then exports a SAF-T file of the day that the official schema accepts', async () => {
      const stateDir = await mkdtemp(join(tmpdir(), 'vk-demo-day-'));
      const daemon = await new DaemonProcess(sandbox.url, stateDir, 'demo-kiosk-1').start();
      const configDir = join(stateDir, 'demo-config');
      expect(daemon.log()).toContain(
        `vipps-kiosk saft export --config-dir ${configDir} --from today --to today`,
      );
      try {
        await daemon.scan(MILK);
        await daemon.scan(sandbox.customers[0]!.personalQrV2);
        await expect
          .poll(async () => (await daemon.model()).screen, { timeout: 10_000 })
          .toBe('awaiting-approval');
        const { reference } = (await daemon.model()).payment!;
        await new SandboxControl(sandbox).act(reference, 'approve');
        await daemon.post('/api/payment-event', { reference, name: 'AUTHORIZED' });
        await expect.poll(async () => (await daemon.model()).screen, { timeout: 10_000 }).toBe('approved');
      } finally {
        await daemon.stop();
      }

      const exported = await run([
        'saft',
        'export',
        '--config-dir',
        configDir,
        '--from',
        'today',
        '--to',
        'today',
        '--out',
        stateDir,
      ]);
      expect(exported.code, exported.output).toBe(0);
      const [name] = (await readdir(stateDir)).filter((f) => f.startsWith('SAF-T Cash Register_999999999_'));
      const xml = await readFile(join(stateDir, name!), 'utf8');
      expect(xmllint(join(stateDir, name!))).toMatchObject({ code: 0 });
      expect(xml).toContain('<companyName>Butikken Demo AS</companyName>');
      expect(xml).toContain('<transAmntIn>24.90</transAmntIn>');
      expect(xml).toContain(`Vipps reference ${'demo-kiosk-1-'}`);

      const verified = await run([
        'cash-register',
        'verify',
        '--config-dir',
        configDir,
        '--state-dir',
        stateDir,
      ]);
      expect(verified.output).toMatch(/rows, 1 signed sales: the chain and every signature hold/);
      expect(verified.code).toBe(0);
      // A daemon process, a sale over real HTTP and three command processes, each compiling on start.
    }, 90_000);
  },
);
