import { isIP } from 'node:net';
import { join } from 'node:path';
import { ConfigError } from '../common/config-error.js';
import { type Settings, vippsBaseUrl } from '../device/config/schema.js';
import { allowFromPrefixes } from '../device/config/store-lan.js';
import { gpioChips, SOC_CHIP } from '../device/hardware/gpio-numbering.js';

/**
 * What the payment daemon may reach beyond its own files, worked out from its configuration: the
 * addresses of the hosts it talks to (Vipps, HQ's broker, the CRM) and of the DNS servers it asks,
 * in attended mode the store-LAN addresses its POS calls from, and the sysfs directories of the LEDs
 * it drives. systemd/vipps-kiosk.service denies every other
 * address (IPAddressDeny=any) and keeps /sys read-only; `vipps-kiosk host-access --apply` writes this
 * as a drop-in beside it. IPAddressAllow= takes addresses, not names, so names are resolved here and
 * again by vipps-kiosk-host-access.timer; a host whose addresses change faster than that (a CDN) is
 * unreachable until the next refresh, which the docs say.
 */
export interface HostAccess {
  /** Resolved IP addresses and (attended mode) the POS's prefixes, sorted, without duplicates. */
  addresses: string[];
  /** Real sysfs directories (symlinks followed) the LED driver writes, sorted. */
  writablePaths: string[];
}

export interface HostAccessProbes {
  /** All addresses of a host name (node:dns lookup with all: true). */
  lookup(host: string): Promise<string[]>;
  /** The text of /etc/resolv.conf. */
  resolvConf: string;
  /** Follows symlinks, as fs.realpathSync. */
  realpath(path: string): string;
  sysfsLeds?: string;
  sysfsGpio?: string;
}

export const DROP_IN_PATH = '/etc/systemd/system/vipps-kiosk.service.d/host-access.conf';

const LED_LINES = ['green', 'amber', 'red', 'blue'] as const;

/** The host names (or address literals) the daemon connects to, loopback left out (always allowed). */
export function daemonHosts(settings: Settings): string[] {
  const urls = [vippsBaseUrl(settings), settings.telemetry.brokerUrl, settings.club.crmUrl];
  const hosts = urls
    .filter((url): url is string => url !== undefined)
    .map((url) => new URL(url).hostname.replace(/^\[(.*)\]$/, '$1'));
  return [...new Set(hosts)].filter((host) => !isLoopback(host));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * In attended mode, the store-LAN addresses a POS may call the terminal API from (`terminal.allowFrom`,
 * private ones only, checked when the configuration is read). IPAddressAllow= admits traffic both ways,
 * so these are also the only LAN addresses the daemon could reach. None when the terminal listens on
 * loopback only (a POS on the kiosk itself) or in self-service: the port then stays closed to the LAN.
 */
export function terminalClients(settings: Settings): string[] {
  const { terminal } = settings;
  if (settings.mode !== 'attended' || isLoopback(terminal.host)) return [];
  // The daemon has no capabilities (CapabilityBoundingSet= is empty): it cannot bind a port below 1024.
  if (terminal.port > 0 && terminal.port < 1024) {
    throw new ConfigError([
      `terminal.port ${terminal.port} is below 1024, which the payment daemon may not listen on (it runs without privileges); use the default 8443 or another port from 1024 up`,
    ]);
  }
  return allowFromPrefixes(terminal.allowFrom);
}

/** `nameserver` lines of resolv.conf; an IPv6 zone (`%eth0`) is dropped, IPAddressAllow= takes none. */
export function nameservers(resolvConf: string): string[] {
  return [...resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)]
    .map((m) => m[1]!.replace(/%.*$/, ''))
    .filter((address) => isIP(address) !== 0 && !isLoopback(address));
}

async function resolve(host: string, lookup: HostAccessProbes['lookup']): Promise<string[]> {
  if (isIP(host) !== 0) return [host];
  try {
    const addresses = await lookup(host);
    if (addresses.length === 0) throw new Error('no address');
    return addresses;
  } catch (error) {
    throw new ConfigError([
      `cannot resolve ${host} (${(error as Error).message}): the kiosk needs its network and DNS to work out which addresses the payment daemon may reach; the last allow-list stays in force`,
    ]);
  }
}

/** The sysfs directories behind the configured LEDs: each LED's own directory, or the GPIO controller's. */
export function ledPaths(settings: Settings, probes: HostAccessProbes): string[] {
  const leds = settings.hardware.leds;
  const wired = LED_LINES.map((line) => leds[line]).filter((pin) => pin !== undefined);
  if (leds.driver === 'none' || wired.length === 0) return [];
  if (leds.driver === 'sysfs') {
    const root = probes.sysfsLeds ?? '/sys/class/leds';
    return wired.map((name) => probes.realpath(join(root, name)));
  }
  // gpio: onoff exports lines under /sys/class/gpio, and their value files live below the controller
  // (the chip OnoffLeds picks; every chip when a pin is given by line name, which can be on any).
  const root = probes.sysfsGpio ?? '/sys/class/gpio';
  const chips = gpioChips(root);
  const named = wired.some((pin) => !/^\d+$/.test(pin));
  const used = chips.filter((chip) =>
    named ? true : leds.chip ? chip.label === leds.chip : SOC_CHIP.test(chip.label),
  );
  return used.map((chip) => probes.realpath(join(root, `gpiochip${chip.base}`, 'device')));
}

export async function hostAccess(settings: Settings, probes: HostAccessProbes): Promise<HostAccess> {
  const resolved = await Promise.all(daemonHosts(settings).map((host) => resolve(host, probes.lookup)));
  const addresses = [...nameservers(probes.resolvConf), ...resolved.flat(), ...terminalClients(settings)];
  return {
    addresses: [...new Set(addresses)].sort(),
    writablePaths: [...new Set(ledPaths(settings, probes))].sort(),
  };
}

/** The drop-in for vipps-kiosk.service; both settings add to the unit's own (localhost, /sys/class/*). */
export function hostAccessDropIn(access: HostAccess): string {
  const lines = [
    '# Written by `vipps-kiosk host-access --apply` from /etc/vipps-kiosk/config.json; written again',
    '# by vipps-kiosk-host-access.timer. Edit the configuration, not this file.',
    '[Service]',
  ];
  if (access.addresses.length > 0) lines.push(`IPAddressAllow=${access.addresses.join(' ')}`);
  // "-": a missing LED (overlay taken out) leaves the daemon to say so, instead of failing to start.
  if (access.writablePaths.length > 0)
    lines.push(`ReadWritePaths=${access.writablePaths.map((path) => `-${path}`).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
