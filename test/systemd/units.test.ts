import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from '../../device/node-flags.js';
import { describeWithTools } from '../support/required-tools.js';

// The units, udev rules and tmpfiles as systemd itself reads them: `systemd-analyze verify` (every
// directive known, every command present), `systemd-analyze security` on the daemon, udev's own rule
// parser, and systemd-tmpfiles applied to a scratch root.

const SYSTEMD = join(import.meta.dirname, '../../systemd');
const UNITS = ['vipps-kiosk.service', 'vipps-kiosk-screen.service'];
const MAX_EXPOSURE = 2.0;

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** The directives of one unit file, joined continuation lines, as `Key=value` strings. */
function directives(unit: string): string[] {
  return readFileSync(join(SYSTEMD, unit), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('['));
}

describeWithTools(
  'systemd units',
  { 'systemd-analyze': '/usr/bin/systemd-analyze', cage: '/usr/bin/cage', chromium: '/usr/bin/chromium' },
  'apt-get install -y systemd cage chromium',
  () => {
    it.each(UNITS)('%s passes systemd-analyze verify with nothing to say', (unit) => {
      const { status, output } = run('systemd-analyze', ['verify', '--man=no', join(SYSTEMD, unit)]);
      expect(output).toBe('');
      expect(status).toBe(0);
    });

    it(`the daemon unit's exposure (systemd-analyze security --offline=true) is at most ${MAX_EXPOSURE}`, () => {
      const { status, output } = run('systemd-analyze', [
        'security',
        '--offline=true',
        `--threshold=${MAX_EXPOSURE * 10}`,
        join(SYSTEMD, 'vipps-kiosk.service'),
      ]);
      const exposure = Number(/Overall exposure level for vipps-kiosk\.service: ([0-9.]+)/.exec(output)?.[1]);
      console.log(`vipps-kiosk.service exposure: ${exposure} (target <= ${MAX_EXPOSURE})`);
      expect(exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
      expect(status).toBe(0);
    });

    it('the daemon unit is a notify service with a watchdog, its own user and the hardening asked for', () => {
      const unit = directives('vipps-kiosk.service');
      for (const wanted of [
        'Type=notify',
        'WatchdogSec=30s',
        'Restart=always',
        'User=kiosk',
        'StateDirectory=vipps-kiosk',
        'ConfigurationDirectory=vipps-kiosk',
        'ProtectSystem=strict',
        'ProtectHome=yes',
        'PrivateTmp=yes',
        'NoNewPrivileges=yes',
        'SystemCallFilter=@system-service',
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
        'DevicePolicy=closed',
      ]) {
        expect(unit).toContain(wanted);
      }
      expect(unit).toContain(
        `ExecStart=/usr/bin/node ${DAEMON_NODE_FLAGS.join(' ')} /opt/vipps-kiosk/bin/vipps-kiosk.js run`,
      );
      expect(unit.filter((d) => d.startsWith('DeviceAllow='))).toEqual([
        'DeviceAllow=char-hidraw rw',
        'DeviceAllow=char-usb_device rw',
        'DeviceAllow=char-gpiochip rw',
      ]);
    });

    it('the screen runs Chromium in kiosk mode on a throw-away profile in its runtime directory', () => {
      const exec = directives('vipps-kiosk-screen.service').find((d) => d.startsWith('ExecStart='))!;
      expect(exec).toMatch(/^ExecStart=\/usr\/bin\/cage .*-- \/usr\/bin\/chromium /);
      expect(exec).toContain('--kiosk');
      expect(exec).toMatch(/--user-data-dir=\$\{RUNTIME_DIRECTORY\}\/profile /);
      expect(exec).toContain('--hide-crash-restore-bubble');
      expect(directives('vipps-kiosk-screen.service')).toContain('RuntimeDirectory=vipps-kiosk-screen');
    });
  },
);

describeWithTools(
  'udev rules',
  { udevadm: '/usr/bin/udevadm', unshare: '/usr/bin/unshare' },
  'apt-get install -y udev util-linux',
  () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'vk-udev-'));
    afterAll(() => rmSync(rulesDir, { recursive: true, force: true }));

    /** What udev says about the files in rulesDir, read in place of /etc/udev/rules.d (own mount namespace). */
    function udevSays(): string[] {
      const { output } = run('unshare', [
        '--mount',
        'sh',
        '-c',
        `mount --bind "${rulesDir}" /etc/udev/rules.d && udevadm test /sys/class/mem/null`,
      ]);
      expect(output).toContain(`Reading rules file: /etc/udev/rules.d/70-vipps-kiosk.rules`);
      return output.split('\n').filter((line) => line.startsWith('/etc/udev/rules.d/'));
    }

    it('udev parses every line (only the groups install.sh creates may be unknown here)', () => {
      copyFileSync(join(SYSTEMD, '70-vipps-kiosk.rules'), join(rulesDir, '70-vipps-kiosk.rules'));
      const complaints = udevSays().filter((line) => !/Unknown group '(gpio|plugdev)'/.test(line));
      expect(complaints).toEqual([]);
    });

    it('the check would catch a bad rule', () => {
      writeFileSync(join(rulesDir, '71-broken.rules'), 'SUBSYSTEM=="hidraw", ATTRZ{idVendor}=="0c2e"\n');
      expect(udevSays().join('\n')).toMatch(/71-broken\.rules:1 Invalid key/);
      rmSync(join(rulesDir, '71-broken.rules'));
    });
  },
);

describeWithTools(
  'tmpfiles',
  { 'systemd-tmpfiles': '/usr/bin/systemd-tmpfiles' },
  'apt-get install -y systemd',
  () => {
    it('makes /etc/vipps-kiosk root:kiosk 0750 and puts a loosened secrets file back to 0640', () => {
      const root = mkdtempSync(join(tmpdir(), 'vk-tmpfiles-'));
      try {
        mkdirSync(join(root, 'etc'));
        for (const file of ['passwd', 'group']) copyFileSync(`/etc/${file}`, join(root, 'etc', file));
        appendFileSync(join(root, 'etc/passwd'), 'kiosk:x:64990:64990::/nonexistent:/usr/sbin/nologin\n');
        appendFileSync(join(root, 'etc/group'), 'kiosk:x:64990:\n');
        const apply = () =>
          execFileSync('systemd-tmpfiles', [
            '--create',
            `--root=${root}`,
            join(SYSTEMD, 'vipps-kiosk.tmpfiles'),
          ]);
        apply();
        const dir = statSync(join(root, 'etc/vipps-kiosk'));
        expect([dir.mode & 0o777, dir.uid, dir.gid]).toEqual([0o750, 0, 64990]);

        writeFileSync(join(root, 'etc/vipps-kiosk/secrets.json'), '{}', { mode: 0o666 });
        apply();
        const secrets = statSync(join(root, 'etc/vipps-kiosk/secrets.json'));
        expect([secrets.mode & 0o777, secrets.uid, secrets.gid]).toEqual([0o640, 0, 64990]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  },
);
