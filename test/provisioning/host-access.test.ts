import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config-error.js';
import { packageRoot } from '../../common/package-root.js';
import { settingsSchema } from '../../device/config/schema.js';
import {
  daemonHosts,
  type HostAccessProbes,
  hostAccess,
  hostAccessDropIn,
  nameservers,
} from '../../provisioning/host-access.js';
import { run } from '../support/cli-process.js';
import { describeWithTools } from '../support/required-tools.js';

// What the payment daemon may reach, from its configuration: the addresses of its hosts and DNS
// servers, and the real sysfs directories of its LEDs, as a drop-in systemd reads. The sysfs trees are
// scratch directories laid out as a Pi's (symlinks into /sys/devices); DNS answers are given per name.

function settings(extra: Record<string, unknown> = {}) {
  return settingsSchema.parse({
    device: { id: 'k-1', site: 'x' },
    vipps: { environment: 'production', merchantSerialNumber: '123456' },
    telemetry: { brokerUrl: 'mqtts://mqtt.hq.example:8883' },
    club: { enabled: true, store: 'http', crmUrl: 'https://crm.example.com/club/v1' },
    secrets: { vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' }, club: { crmToken: 't' } },
    ...extra,
  });
}

const sys = mkdtempSync(join(tmpdir(), 'vk-sys-'));
afterAll(() => rmSync(sys, { recursive: true, force: true }));

/** A file in the scratch sysfs, its directories made. */
function put(path: string, text = '') {
  mkdirSync(join(sys, path, '..'), { recursive: true });
  writeFileSync(join(sys, path), text);
}
function link(path: string, target: string) {
  mkdirSync(join(sys, path, '..'), { recursive: true });
  symlinkSync(target, join(sys, path));
}

// A Pi 4: the gpio-led overlay's LEDs, the SoC's GPIO controller and the firmware's expander.
put('devices/platform/leds@19/leds/red/brightness');
put('devices/platform/leds@26/leds/green/brightness');
link('class/leds/red', '../../devices/platform/leds@19/leds/red');
link('class/leds/green', '../../devices/platform/leds@26/leds/green');
for (const [base, label, device] of [
  [512, 'pinctrl-bcm2711', 'devices/platform/soc/fe200000.gpio'],
  [570, 'raspberrypi-exp-gpio', 'devices/platform/soc/soc:firmware/soc:firmware:gpio'],
] as const) {
  put(`${device}/gpio/gpiochip${base}/label`, `${label}\n`);
  put(`${device}/gpio/gpiochip${base}/base`, `${base}\n`);
  put(`${device}/gpio/gpiochip${base}/ngpio`, '58\n');
  link(`${device}/gpio/gpiochip${base}/device`, '../..');
  link(`class/gpio/gpiochip${base}`, `../../${device}/gpio/gpiochip${base}`);
}

const DNS: Record<string, string[]> = {
  'api.vipps.no': ['203.0.113.10', '203.0.113.11'],
  'mqtt.hq.example': ['198.51.100.7', '2001:db8::7'],
  'crm.example.com': ['192.0.2.44'],
};
const probes: HostAccessProbes = {
  lookup: async (host) => {
    const answer = DNS[host];
    if (!answer) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return answer;
  },
  resolvConf: '# from DHCP\nnameserver 192.168.1.1\nnameserver fe80::1%eth0\nnameserver 127.0.0.53\n',
  realpath: realpathSync,
  sysfsLeds: join(sys, 'class/leds'),
  sysfsGpio: join(sys, 'class/gpio'),
};

describe('host-access', () => {
  it('allows the addresses of Vipps, the broker, the CRM and the DNS servers, and nothing on loopback twice', async () => {
    expect(daemonHosts(settings())).toEqual(['api.vipps.no', 'mqtt.hq.example', 'crm.example.com']);
    expect(nameservers(probes.resolvConf)).toEqual(['192.168.1.1', 'fe80::1']);
    const access = await hostAccess(settings(), probes);
    expect(access.addresses).toEqual([
      '192.0.2.44',
      '192.168.1.1',
      '198.51.100.7',
      '2001:db8::7',
      '203.0.113.10',
      '203.0.113.11',
      'fe80::1',
    ]);
    expect(access.writablePaths).toEqual([]);
  });

  it('takes address literals as they are and leaves out loopback hosts (the demo, the sandbox)', () => {
    const local = settings({
      vipps: { environment: 'sandbox', baseUrl: 'http://127.0.0.1:9000', merchantSerialNumber: '123456' },
      telemetry: { brokerUrl: 'mqtts://[2001:db8::1]:8883' },
      club: {},
    });
    expect(daemonHosts(local)).toEqual(['2001:db8::1']);
  });

  it('refuses to guess when a name does not resolve, so the last allow-list stays', async () => {
    const unknown = settings({ telemetry: { brokerUrl: 'mqtts://nowhere.invalid:8883' } });
    const error = await hostAccess(unknown, probes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('cannot resolve nowhere.invalid');
  });

  it('makes writable only the directories of the configured kernel LEDs', async () => {
    const leds = settings({ hardware: { leds: { driver: 'sysfs', red: 'red', green: 'green' } } });
    expect((await hostAccess(leds, probes)).writablePaths).toEqual([
      realpathSync(join(sys, 'devices/platform/leds@19/leds/red')),
      realpathSync(join(sys, 'devices/platform/leds@26/leds/green')),
    ]);
  });

  it('makes writable only the SoC GPIO controller for GPIO numbers, or the named chip', async () => {
    const soc = settings({ hardware: { leds: { driver: 'gpio', green: '17' } } });
    expect((await hostAccess(soc, probes)).writablePaths).toEqual([
      realpathSync(join(sys, 'devices/platform/soc/fe200000.gpio')),
    ]);
    const expander = settings({
      hardware: { leds: { driver: 'gpio', chip: 'raspberrypi-exp-gpio', green: '2' } },
    });
    expect((await hostAccess(expander, probes)).writablePaths).toEqual([
      realpathSync(join(sys, 'devices/platform/soc/soc:firmware/soc:firmware:gpio')),
    ]);
  });

  it('writes a drop-in that adds to the unit (no reset of its localhost), LED paths optional', () => {
    expect(
      hostAccessDropIn({
        addresses: ['192.0.2.1', '2001:db8::1'],
        writablePaths: ['/sys/devices/platform/leds@19'],
      }),
    ).toBe(
      [
        '# Written by `vipps-kiosk host-access --apply` from /etc/vipps-kiosk/config.json; written again',
        '# by vipps-kiosk-host-access.timer. Edit the configuration, not this file.',
        '[Service]',
        'IPAddressAllow=192.0.2.1 2001:db8::1',
        'ReadWritePaths=-/sys/devices/platform/leds@19',
        '',
      ].join('\n'),
    );
  });
});

it('`vipps-kiosk host-access` prints the drop-in from a configuration directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vk-host-access-'));
  try {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        device: { id: 'k-1', site: 'x' },
        vipps: { environment: 'sandbox', baseUrl: 'https://192.0.2.10', merchantSerialNumber: '123456' },
        telemetry: { brokerUrl: 'mqtts://198.51.100.7:8883' },
      }),
    );
    writeFileSync(
      join(dir, 'secrets.json'),
      JSON.stringify({ vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' } }),
      { mode: 0o600 },
    );
    const { code, output } = await run(['host-access', '--config-dir', dir]);
    expect(output).toMatch(/^\[Service\]$/m);
    expect(output).toMatch(/^IPAddressAllow=.*\b192\.0\.2\.10\b/m);
    expect(output).toMatch(/^IPAddressAllow=.*\b198\.51\.100\.7\b/m);
    expect(output).not.toContain('ReadWritePaths=');
    expect(code).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeWithTools(
  'host-access drop-in as systemd reads it',
  { 'systemd-analyze': '/usr/bin/systemd-analyze' },
  'apt-get install -y systemd',
  () => {
    it('systemd reads the daemon unit with the drop-in and has nothing to say; it would catch a bad key', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vk-dropin-'));
      try {
        for (const unit of ['vipps-kiosk.service', 'vipps-kiosk-host-access.service']) {
          copyFileSync(join(packageRoot(), 'systemd', unit), join(dir, unit));
        }
        mkdirSync(join(dir, 'vipps-kiosk.service.d'));
        const dropIn = join(dir, 'vipps-kiosk.service.d', 'host-access.conf');
        // Attended: the drop-in carries the store LAN's prefixes, which systemd must take as they are.
        const leds = settings({
          hardware: { leds: { driver: 'sysfs', red: 'red' } },
          mode: 'attended',
          terminal: { host: '0.0.0.0' },
        });
        writeFileSync(dropIn, hostAccessDropIn(await hostAccess(leds, probes)));
        const verify = () => {
          const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'vipps-kiosk.service')], {
            encoding: 'utf8',
            env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` },
          });
          return `${r.stdout}${r.stderr}`.trim();
        };
        expect(verify()).toBe('');
        writeFileSync(dropIn, readFileSync(dropIn, 'utf8').replace('IPAddressAllow', 'IPAddressAlow'));
        expect(verify()).toContain("Unknown key 'IPAddressAlow'");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

/**
 * Whether the daemon's unit with its drop-in lets `address` through, as systemd decides it: an address
 * on an IPAddressAllow= list passes, else one on an IPAddressDeny= list is dropped, else it passes.
 */
function unitAdmits(dropIn: string, address: string): boolean {
  const unit = readFileSync(join(packageRoot(), 'systemd', 'vipps-kiosk.service'), 'utf8');
  const lists = { IPAddressAllow: new BlockList(), IPAddressDeny: new BlockList() };
  for (const line of `${unit}\n${dropIn}`.split('\n')) {
    const match = /^(IPAddressAllow|IPAddressDeny)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const list = lists[match[1] as keyof typeof lists];
    for (const entry of match[2]!.split(/\s+/).filter(Boolean)) {
      const expanded =
        entry === 'any'
          ? ['0.0.0.0/0', '::/0']
          : entry === 'localhost'
            ? ['127.0.0.0/8', '::1/128']
            : [entry];
      for (const range of expanded) {
        const [base, bits] = range.split('/');
        const family = isIP(base!) === 4 ? 'ipv4' : 'ipv6';
        list.addSubnet(base!, bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits), family);
      }
    }
  }
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (lists.IPAddressAllow.check(address, family)) return true;
  return !lists.IPAddressDeny.check(address, family);
}

describe('the terminal port in attended mode: the store LAN only', () => {
  const attended = (terminal: Record<string, unknown> = {}) =>
    settings({ mode: 'attended', terminal: { host: '0.0.0.0', ...terminal } });
  const LAN_POS = ['192.168.1.50', '10.20.30.40', '172.20.1.2', 'fd00::5', 'fe80::1234'];
  const ELSEWHERE = ['8.8.8.8', '100.64.0.1', '172.32.0.1', '11.0.0.1', '2001:4860::8888', '198.51.100.99'];

  it('admits a POS from any private range by default, and nothing from the internet', async () => {
    const dropIn = hostAccessDropIn(await hostAccess(attended(), probes));
    for (const address of LAN_POS) expect(unitAdmits(dropIn, address), address).toBe(true);
    for (const address of ELSEWHERE) expect(unitAdmits(dropIn, address), address).toBe(false);
    expect(dropIn).not.toMatch(/\bany\b|\/0\b/);
  });

  it('keeps the LAN out in self-service, and when the terminal listens on loopback only', async () => {
    for (const config of [settings(), attended({ host: '127.0.0.1' })]) {
      const dropIn = hostAccessDropIn(await hostAccess(config, probes));
      expect(unitAdmits(dropIn, '192.168.1.50')).toBe(false);
      expect(unitAdmits(dropIn, '127.0.0.1')).toBe(true);
    }
  });

  it('admits only the configured POS address when one is given', async () => {
    const dropIn = hostAccessDropIn(await hostAccess(attended({ allowFrom: '192.168.1.20' }), probes));
    expect(unitAdmits(dropIn, '192.168.1.20')).toBe(true);
    expect(unitAdmits(dropIn, '192.168.1.21')).toBe(false);
  });

  it('refuses a configuration that would open the terminal to anything but a private range', () => {
    for (const allowFrom of ['0.0.0.0/0', '::/0', '8.8.8.0/24', '10.0.0.0/7', '192.168.0.0/15', 'any', '']) {
      const parsed = settingsSchema.safeParse({
        device: { id: 'k-1', site: 'x' },
        vipps: { environment: 'production', merchantSerialNumber: '123456' },
        mode: 'attended',
        terminal: { allowFrom },
        secrets: { vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' } },
      });
      expect(parsed.success, allowFrom).toBe(false);
    }
    expect(() => attended({ allowFrom: '8.8.8.8' })).toThrow(/not on a store LAN: only private addresses/);
  });

  it('lets the unprivileged daemon listen on the terminal port: IPv4 and IPv6 sockets, a port from 1024', async () => {
    const unit = readFileSync(join(packageRoot(), 'systemd', 'vipps-kiosk.service'), 'utf8');
    const families = /^RestrictAddressFamilies=(.*)$/m.exec(unit)?.[1]?.split(' ') ?? [];
    expect(families).toEqual(expect.arrayContaining(['AF_INET', 'AF_INET6']));
    expect(unit).not.toMatch(/^(PrivateNetwork=yes|SocketBind(Allow|Deny)=)/m);
    expect(unit).toMatch(/^CapabilityBoundingSet=$/m);
    expect(attended().terminal.port).toBeGreaterThanOrEqual(1024);
    const privileged = await hostAccess(attended({ port: 443 }), probes).catch((e: unknown) => e);
    expect(privileged).toBeInstanceOf(ConfigError);
    expect((privileged as Error).message).toContain('terminal.port 443 is below 1024');
  });
});
