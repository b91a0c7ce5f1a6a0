import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../../common/package-root.js';
import { describeWithTools } from '../support/required-tools.js';

// install.sh is checked by shellcheck, and run (twice: it must be idempotent) into a scratch root file
// system with the host's account files, the way an image build uses it (--root, --no-packages). The
// apt and npm steps need a Pi and the network; what they leave behind is what the rest relies on.

const INSTALL = join(packageRoot(), 'provisioning', 'install.sh');
const IMAGE = join(packageRoot(), 'provisioning', 'image');
const SHELL_SCRIPTS = [INSTALL, join(IMAGE, 'firstrun.sh'), join(IMAGE, 'prepare-card.sh')];

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every path under root with its type, mode, owner and content hash, for "the second run changed nothing". */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const s = lstatSync(path);
      const what = s.isSymbolicLink()
        ? `-> ${readlinkSync(path)}`
        : s.isDirectory()
          ? 'dir'
          : createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
      out.push(`${relative(root, path)} ${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid} ${what}`);
      if (s.isDirectory() && !s.isSymbolicLink()) walk(path);
    }
  };
  walk(root);
  return out;
}

describeWithTools(
  'install.sh',
  { shellcheck: '/usr/bin/shellcheck' },
  'apt-get install -y shellcheck',
  () => {
    it.each(SHELL_SCRIPTS)('shellcheck finds nothing in %s', (script) => {
      const { status, output } = run('shellcheck', ['--severity=style', script]);
      expect(output).toBe('');
      expect(status).toBe(0);
    });
  },
);

describeWithTools(
  'install.sh into a root file system',
  { 'systemd-tmpfiles': '/usr/bin/systemd-tmpfiles', useradd: '/usr/sbin/useradd' },
  'apt-get install -y systemd passwd',
  () => {
    let root: string;
    const hqKey = join(tmpdir(), `vk-hq-${process.pid}.pub`);
    const hqCommandKey = join(tmpdir(), `hq-command-${process.pid}.pub`);
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'vk-root-'));
      mkdirSync(join(root, 'etc'));
      for (const file of ['passwd', 'group', 'shadow', 'gshadow', 'login.defs']) {
        copyFileSync(`/etc/${file}`, join(root, 'etc', file));
      }
      mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
      for (const target of ['graphical.target', 'multi-user.target', 'timers.target']) {
        copyFileSync(`/usr/lib/systemd/system/${target}`, join(root, 'usr/lib/systemd/system', target));
      }
      mkdirSync(join(root, 'boot/firmware'), { recursive: true });
      writeFileSync(
        join(root, 'boot/firmware/cmdline.txt'),
        'console=tty1 root=PARTUUID=0a1b2c3d-02 rootwait\n',
      );
      const { publicKey } = generateKeyPairSync('ed25519');
      writeFileSync(hqKey, publicKey.export({ type: 'spki', format: 'pem' }));
      const command = generateKeyPairSync('ed25519').publicKey;
      writeFileSync(hqCommandKey, command.export({ type: 'spki', format: 'pem' }));
    });
    afterAll(() => {
      rmSync(root, { recursive: true, force: true });
      rmSync(hqKey, { force: true });
      rmSync(hqCommandKey, { force: true });
    });

    const install = () =>
      execFileSync(
        'bash',
        [INSTALL, '--root', root, '--no-packages', '--hq-key', hqKey, '--hq-command-key', hqCommandKey],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );

    it('makes the users, places app, units, rules and tmpfiles, enables the units, and waits for provisioning', () => {
      const output = install();
      expect(output).toContain('user kiosk created');
      expect(output).toContain('installed; next: sudo vipps-kiosk provision');

      const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
      expect(passwd).toMatch(/^kiosk:x:\d+:\d+::\/var\/lib\/vipps-kiosk:\/usr\/sbin\/nologin$/m);
      expect(passwd).toMatch(/^kiosk-screen:x:\d+:\d+::\/run\/vipps-kiosk-screen:\/usr\/sbin\/nologin$/m);
      const group = readFileSync(join(root, 'etc/group'), 'utf8');
      expect(group).toMatch(/^plugdev:x:\d+:(.*,)?kiosk(,.*)?$/m);
      expect(group).toMatch(/^gpio:x:\d+:kiosk$/m);
      const kioskGid = Number(/^kiosk:x:(\d+):/m.exec(group)![1]);

      const etc = statSync(join(root, 'etc/vipps-kiosk'));
      expect([etc.mode & 0o777, etc.uid, etc.gid]).toEqual([0o750, 0, kioskGid]);
      expect(statSync(join(root, 'etc/vipps-kiosk/hq-enrol.pub')).mode & 0o777).toBe(0o644);
      const commandKey = statSync(
        join(root, `etc/vipps-kiosk/hq-command-keys/hq-command-${process.pid}.pub`),
      );
      expect([commandKey.mode & 0o777, commandKey.uid]).toEqual([0o644, 0]);
      for (const unit of ['vipps-kiosk.service', 'vipps-kiosk-screen.service']) {
        expect(readFileSync(join(root, 'etc/systemd/system', unit), 'utf8')).toBe(
          readFileSync(join(packageRoot(), 'systemd', unit), 'utf8'),
        );
      }
      expect(readlinkSync(join(root, 'etc/systemd/system/multi-user.target.wants/vipps-kiosk.service'))).toBe(
        '/etc/systemd/system/vipps-kiosk.service',
      );
      expect(
        readlinkSync(join(root, 'etc/systemd/system/graphical.target.wants/vipps-kiosk-screen.service')),
      ).toBe('/etc/systemd/system/vipps-kiosk-screen.service');
      expect(readlinkSync(join(root, 'etc/systemd/system/default.target'))).toBe(
        '/usr/lib/systemd/system/graphical.target',
      );
      expect(
        readFileSync(join(root, 'etc/systemd/system.conf.d/vipps-kiosk-watchdog.conf'), 'utf8'),
      ).toContain('RuntimeWatchdogSec=14s');
      expect(readFileSync(join(root, 'etc/udev/rules.d/70-vipps-kiosk.rules'), 'utf8')).toContain(
        'LIBINPUT_IGNORE_DEVICE',
      );
      expect(readFileSync(join(root, 'etc/polkit-1/rules.d/50-vipps-kiosk.rules'), 'utf8')).toContain(
        'org.freedesktop.login1.reboot',
      );
      // The console lock-down: Chromium's managed policy, no getty but tty1's, no Ctrl+Alt+Del reboot.
      expect(
        JSON.parse(readFileSync(join(root, 'etc/chromium/policies/managed/vipps-kiosk.json'), 'utf8')),
      ).toMatchObject({ DeveloperToolsAvailability: 2, URLBlocklist: ['*'] });
      expect(readFileSync(join(root, 'etc/systemd/logind.conf.d/vipps-kiosk.conf'), 'utf8')).toContain(
        'NAutoVTs=0',
      );
      for (const masked of ['autovt@.service', 'ctrl-alt-del.target']) {
        expect(readlinkSync(join(root, 'etc/systemd/system', masked))).toBe('/dev/null');
      }
      expect(
        readlinkSync(join(root, 'etc/systemd/system/timers.target.wants/vipps-kiosk-host-access.timer')),
      ).toBe('/etc/systemd/system/vipps-kiosk-host-access.timer');
      expect(readFileSync(join(root, 'boot/firmware/cmdline.txt'), 'utf8')).toBe(
        'console=tty1 root=PARTUUID=0a1b2c3d-02 rootwait consoleblank=0\n',
      );
      expect(readlinkSync(join(root, 'usr/local/bin/vipps-kiosk'))).toBe(
        '/opt/vipps-kiosk/bin/vipps-kiosk.js',
      );

      // The copied app runs (its node_modules come from `npm ci` on a Pi; here the checkout's stand in).
      symlinkSync(join(packageRoot(), 'node_modules'), join(root, 'opt/vipps-kiosk/node_modules'));
      const help = run(process.execPath, [join(root, 'opt/vipps-kiosk/bin/vipps-kiosk.js'), 'help']);
      expect(help.output).toContain('vipps-kiosk provision');
      rmSync(join(root, 'opt/vipps-kiosk/node_modules'));
    });

    it('a second run changes nothing', () => {
      const before = snapshot(root);
      const output = install();
      expect(output).not.toContain('created');
      expect(snapshot(root)).toEqual(before);
    });
  },
);

describeWithTools(
  'first boot files',
  { 'cloud-init': '/usr/bin/cloud-init' },
  'apt-get install -y --no-install-recommends cloud-init',
  () => {
    const userData = join(packageRoot(), 'provisioning', 'image', 'user-data');

    it("Trixie's user-data passes cloud-init's own schema check, and the check would catch a mistake", () => {
      expect(run('cloud-init', ['schema', '--config-file', userData])).toMatchObject({
        status: 0,
        output: expect.stringContaining('Valid cloud-config'),
      });
      const broken = join(tmpdir(), `vk-user-data-${process.pid}`);
      writeFileSync(
        broken,
        readFileSync(userData, 'utf8').replace('lock_passwd: false', 'lock_passwd: maybe'),
      );
      try {
        expect(run('cloud-init', ['schema', '--config-file', broken]).status).toBe(1);
      } finally {
        rmSync(broken, { force: true });
      }
    });

    it('no first password is in the repository: both first-boot files carry a locked one ("!")', () => {
      // The attack: a fleet-wide first password read from these files logs in on any fresh kiosk's
      // tty1, typed on a keyboard or by a scanned code, and `tech` may sudo.
      const cloud = parseYaml(readFileSync(userData, 'utf8')) as {
        chpasswd: { expire: boolean; users: { name: string; password: string; type: string }[] };
      };
      expect(cloud.chpasswd).toEqual({
        expire: true,
        users: [{ name: 'tech', password: '!', type: 'hash' }],
      });
      const toml = readFileSync(join(IMAGE, 'custom.toml'), 'utf8');
      expect(toml).toMatch(/^password = "!"$/m);
      expect(toml).toMatch(/^password_encrypted = true$/m);
    });

    it('prepare-card.sh gives each card its own first password, only its hash on the card', () => {
      const card = () => {
        const boot = mkdtempSync(join(tmpdir(), 'vk-bootfs-'));
        const output = execFileSync('bash', [join(IMAGE, 'prepare-card.sh'), boot], { encoding: 'utf8' });
        const password = /^ {4}([a-z2-9]{4}) ([a-z2-9]{4}) ([a-z2-9]{4}) ([a-z2-9]{4})$/m
          .exec(output)!
          .slice(1)
          .join('');
        const files = {
          userData: readFileSync(join(boot, 'user-data'), 'utf8'),
          toml: readFileSync(join(boot, 'custom.toml'), 'utf8'),
          firstrun: statSync(join(boot, 'firstrun.sh')).mode & 0o777,
          schema: run('cloud-init', ['schema', '--config-file', join(boot, 'user-data')]),
        };
        rmSync(boot, { recursive: true, force: true });
        return { password, ...files };
      };
      const first = card();
      const second = card();
      expect(first.password).not.toBe(second.password);
      expect(first.schema).toMatchObject({
        status: 0,
        output: expect.stringContaining('Valid cloud-config'),
      });
      expect(first.firstrun).toBe(0o755);
      const hash = (parseYaml(first.userData) as { chpasswd: { users: { password: string }[] } }).chpasswd
        .users[0]!.password;
      expect(first.toml).toContain(`password = "${hash}"`);
      expect(`${first.userData}${first.toml}`).not.toContain(first.password);
      // The hash is SHA-512 crypt of the printed password: openssl computes it again with its salt.
      const salt = /^\$6\$([^$]+)\$/.exec(hash)![1]!;
      const again = execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], {
        input: `${first.password}\n`,
        encoding: 'utf8',
      }).trim();
      expect(again).toBe(hash);
    });

    it('both first boots run the install script from the boot partition with HQ key', () => {
      const command = '/boot/firmware/vipps-kiosk/provisioning/install.sh';
      expect(readFileSync(userData, 'utf8')).toContain(
        `[bash, ${command}, --hq-key, /boot/firmware/vipps-kiosk/hq-enrol.pub]`,
      );
      expect(readFileSync(join(packageRoot(), 'provisioning', 'image', 'firstrun.sh'), 'utf8')).toContain(
        'ExecStart=/bin/bash $APP/provisioning/install.sh --hq-key $APP/hq-enrol.pub',
      );
    });
  },
);

describe('dependency install scripts', () => {
  // npm runs a dependency's install script only if package.json's allowScripts approves it, and
  // .npmrc's strict-allow-scripts fails the install on one nobody reviewed. allowScripts names
  // packages without versions: this workplace's lock file carries no "resolved" URLs, so npm cannot
  // match a pinned entry and fails closed. The versions reviewed are pinned here instead: a bump of one
  // of these packages fails this test until its new install script has been read.
  const REVIEWED: Record<string, { version: string; runs: boolean }> = {
    'better-sqlite3': { version: '12.11.1', runs: true }, // prebuild-install || node-gyp rebuild
    epoll: { version: '4.0.2', runs: true }, // node-gyp rebuild (onoff's GPIO interrupts)
    'node-hid': { version: '3.4.0', runs: true }, // checks its prebuilt addon, else node-gyp rebuild
    'unix-dgram': { version: '2.0.7', runs: true }, // node-gyp rebuild (sd_notify)
    usb: { version: '2.18.0', runs: true }, // node-gyp-build: its prebuilt addon, else a build
    esbuild: { version: '0.28.2', runs: false }, // checks its binary; the lock file already installs it
  };

  it('approves or denies exactly the packages in the lock file that have install scripts, at the versions reviewed', () => {
    const root = packageRoot();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      allowScripts: Record<string, boolean>;
    };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; hasInstallScript?: boolean }>;
    };
    const scripted = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path, entry]) => [path.replace(/^.*node_modules\//, ''), entry.version] as const);
    expect(Object.fromEntries(scripted)).toEqual(
      Object.fromEntries(Object.entries(REVIEWED).map(([name, r]) => [name, r.version])),
    );
    expect(pkg.allowScripts).toEqual(
      Object.fromEntries(Object.entries(REVIEWED).map(([name, r]) => [name, r.runs])),
    );
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^strict-allow-scripts=true$/m);
  });
});
