import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetFileError, parseFleet } from '../../hq/fleet/fleet-file.js';
import { renderAcl, renderConfig } from '../../hq/fleet/mosquitto-files.js';
import { run } from '../support/cli-process.js';
import { resolved } from '../telemetry/asyncapi-document.js';
import { writeBrokerFiles } from './fleet-broker.js';

// The fleet file and the broker files made from it: each mistake is refused naming its entry, and the
// ACL has the shape contracts/asyncapi.yaml documents. broker-attacks.test.ts runs the files on Mosquitto.

const certificateListener = {
  port: 8883,
  auth: 'certificate',
  caFile: '/etc/mosquitto/certs/fleet-ca.crt',
  certFile: '/etc/mosquitto/certs/server.crt',
  keyFile: '/etc/mosquitto/certs/server.key',
};
const passwordListener = {
  port: 8884,
  auth: 'password',
  certFile: '/etc/mosquitto/certs/server.crt',
  keyFile: '/etc/mosquitto/certs/server.key',
};

function fleet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kiosks: [
      { site: 'oslo-1', device: 'kiosk-07', merchantSerialNumber: '123456' },
      { site: 'oslo-1', device: 'kiosk-08', merchantSerialNumber: '123456' },
    ],
    hq: [
      { identity: 'hq-ops', role: 'commands' },
      { identity: 'hq-relay-1', role: 'relay' },
      { identity: 'hq-relay-2', role: 'relay' },
      { identity: 'hq-collector-1', role: 'collector' },
      { identity: 'hq-watch', role: 'watch' },
    ],
    broker: { passwordFile: '/etc/mosquitto/passwd', listeners: [certificateListener, passwordListener] },
    ...overrides,
  };
}

/** The problems the fleet file is refused with. */
function problems(file: unknown): readonly string[] {
  try {
    parseFleet(typeof file === 'string' ? file : JSON.stringify(file), 'fleet.json');
  } catch (error) {
    expect((error as Error).message).toMatch(/^The fleet file fleet\.json is not usable:\n {2}- /);
    return (error as FleetFileError).problems;
  }
  throw new Error('the fleet file was accepted');
}

describe('the fleet file', () => {
  it('gives each kiosk exactly the ACL block contracts/asyncapi.yaml documents, and HQ its roles', () => {
    const acl = renderAcl(parseFleet(JSON.stringify(fleet()), 'fleet.json'), '/etc/vipps-kiosk/fleet.json');
    const documented = /```\n(user vk-oslo-1-kiosk-07\n[\s\S]*?)```/.exec(resolved.info.description)?.[1];
    expect(documented).toBeDefined();
    // The document shows kiosk-07 and one identity of each role, in the order the command writes them.
    const blocks = acl.split('\n\n').filter((block) => !block.startsWith('# Written'));
    const shown = (documented ?? '').trimEnd().split('\n\n');
    expect(shown).toEqual([
      blocks[0],
      ...['commands', 'relay', 'collector', 'watch'].map((role) =>
        blocks.find((block) => block.startsWith(`# role: ${role}\n`))?.trimEnd(),
      ),
    ]);
    expect(blocks[1]).toContain('user vk-oslo-1-kiosk-08\n');
    expect(acl).toMatch(/^# Written by `vipps-kiosk hq broker-config` from \/etc\/vipps-kiosk\/fleet\.json/);
  });

  it("lets only the collector role write HQ's alert topic: no kiosk, relay, watcher or operator", () => {
    const acl = renderAcl(parseFleet(JSON.stringify(fleet()), 'fleet.json'), 'fleet.json');
    const writers = acl
      .split('\n\n')
      .filter((block) => block.split('\n').includes('topic write vk/v1/hq/alerts'))
      .map((block) => /^user (.+)$/m.exec(block)?.[1]);
    expect(writers).toEqual(['hq-collector-1']);
    // Nor through a wildcard: the only other write lines are a kiosk's own topics, cmd/# and vipps/#.
    const wildcardWrites = acl.split('\n').filter((line) => /^topic write .*[#+]/.test(line));
    expect(new Set(wildcardWrites)).toEqual(
      new Set([
        'topic write vk/v1/+/+/cmd/#',
        'topic write vk/v1/vipps/#',
        'topic write vk/v1/oslo-1/kiosk-07/events/+',
        'topic write vk/v1/oslo-1/kiosk-07/resp/+',
        'topic write vk/v1/oslo-1/kiosk-07/files/+',
        'topic write vk/v1/oslo-1/kiosk-08/events/+',
        'topic write vk/v1/oslo-1/kiosk-08/resp/+',
        'topic write vk/v1/oslo-1/kiosk-08/files/+',
      ]),
    );
  });

  it('makes listeners that tie each client id to its username', () => {
    const config = renderConfig(
      parseFleet(JSON.stringify(fleet()), 'fleet.json'),
      'f',
      '/etc/mosquitto/a.acl',
    );
    const [global, certificate, password] = config.split('\n\n').slice(1);
    expect(global?.split('\n')).toEqual([
      'per_listener_settings false',
      'allow_anonymous false',
      'acl_file /etc/mosquitto/a.acl',
      'password_file /etc/mosquitto/passwd',
      'set_tcp_nodelay true',
      'max_queued_messages 1000000',
    ]);
    expect(certificate?.split('\n').slice(1)).toEqual([
      'listener 8883',
      'cafile /etc/mosquitto/certs/fleet-ca.crt',
      'certfile /etc/mosquitto/certs/server.crt',
      'keyfile /etc/mosquitto/certs/server.key',
      'require_certificate true',
      'use_identity_as_username true',
      'use_username_as_clientid true',
    ]);
    expect(password?.trimEnd().split('\n').slice(1)).toEqual([
      'listener 8884',
      'certfile /etc/mosquitto/certs/server.crt',
      'keyfile /etc/mosquitto/certs/server.key',
      'use_username_as_clientid true',
    ]);
  });

  it('refuses a bad entry, naming it', () => {
    const bad = fleet({
      kiosks: [
        { site: 'oslo-1', device: 'kiosk-07', merchantSerialNumber: '123456' },
        { site: 'oslo-1', device: 'kiosk-08', merchantSerialNumber: 123456 },
        { site: 'vipps', device: 'kiosk-09', merchantSerialNumber: '123456' },
        { site: 'bergen', device: 'kiosk/1', merchantSerialNumber: '654321', msn: '1' },
      ],
      hq: [
        { identity: 'hq-ops', role: 'admin' },
        { identity: 'vk-hq-relay-1', role: 'relay' },
      ],
    });
    expect(problems(bad)).toEqual([
      'kiosks[1] (oslo-1/kiosk-08): merchantSerialNumber: expected the merchant serial number: 4–7 digits, in quotes, e.g. "123456"',
      'kiosks[2] (vipps/kiosk-09): site: expected any site id but "vipps", which HQ reserves',
      'kiosks[3] (bergen/kiosk/1): device: expected a device id of 1–32 letters, digits and -',
      'kiosks[3] (bergen/kiosk/1): unknown key(s) "msn"; the fleet file is described in docs/hq-operations.md',
      'hq[0] (hq-ops): role: expected a role: "commands", "relay", "collector", "watch"',
      `hq[1] (vk-hq-relay-1): identity: expected an identity that does not start with "vk-", which is the kiosks' (vk-{site}-{device})`,
    ]);
  });

  it('refuses two relay replicas with one identity, and two kiosks whose identities meet', () => {
    const hq = [
      { identity: 'hq-relay-1', role: 'relay' },
      { identity: 'hq-relay-1', role: 'relay' },
      { identity: 'HQ-OPS', role: 'commands' },
      { identity: 'hq-ops', role: 'watch' },
    ];
    const kiosks = [
      { site: 'a-b', device: 'c', merchantSerialNumber: '123456' },
      { site: 'a', device: 'b-c', merchantSerialNumber: '123456' },
    ];
    expect(problems(fleet({ hq, kiosks }))).toEqual([
      "kiosks[1] (a/b-c): its identity vk-a-b-c is also kiosks[0] (a-b/c)'s; give one of them another device id",
      "hq[1] (hq-relay-1): the identity is also hq[0] (hq-relay-1)'s: each relay replica needs its own (e.g. hq-relay-1, hq-relay-2), or two replicas knock each other off the broker",
      "hq[3] (hq-ops): the identity is also hq[2] (HQ-OPS)'s: give each its own",
    ]);
  });

  it('refuses listeners that would not hold: no CA, plain text off loopback, no password file, one port twice', () => {
    const { caFile: _, ...withoutCa } = certificateListener;
    const { certFile: __, keyFile: ___, ...plain } = passwordListener;
    expect(
      problems(
        fleet({ broker: { listeners: [withoutCa, plain, { ...plain, bind: '127.0.0.1', port: 8883 }] } }),
      ),
    ).toEqual([
      'broker.listeners[0].caFile: a certificate listener needs caFile (the fleet CA), certFile and keyFile',
      'broker.listeners[1].certFile: a password listener without TLS (no certFile and keyFile) is only allowed on a loopback address ("bind": "127.0.0.1")',
    ]);
    expect(
      problems(fleet({ broker: { listeners: [certificateListener, { ...passwordListener, port: 8883 }] } })),
    ).toEqual([
      "broker.listeners[1]: port 8883 is also broker.listeners[0]'s",
      'broker.passwordFile: a password listener needs the password file, e.g. "/etc/mosquitto/passwd"',
    ]);
    expect(
      problems(fleet({ broker: { listeners: [{ ...certificateListener, certFile: 'server.crt' }] } })),
    ).toEqual(['broker.listeners[0].certFile: expected an absolute path on the broker host, without spaces']);
  });

  it('says what the file as a whole lacks', () => {
    expect(problems([])).toEqual(['(top level): expected a JSON object with "kiosks", "hq" and "broker"']);
    expect(problems({ kiosks: [] })).toEqual([
      'broker: expected the broker section: its listeners and files (docs/hq-operations.md)',
    ]);
  });

  it('says where the JSON is broken', () => {
    expect(problems('{\n  "kiosks": [\n    { "site": "oslo-1" "device": "k" }\n  ]\n}')).toEqual([
      expect.stringMatching(/^not valid JSON: .*\(line 3,? column 24\)$/),
    ]);
  });
});

describe('vipps-kiosk hq broker-config', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-broker-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes both files 0640 and whole, replacing the old ones', async () => {
    const fleetFile = join(dir, 'fleet.json');
    const out = join(dir, 'out');
    await writeFile(fleetFile, JSON.stringify(fleet()));
    await writeBrokerFiles(fleetFile, out);
    await writeFile(fleetFile, JSON.stringify(fleet({ kiosks: [] })));
    await writeBrokerFiles(fleetFile, out);
    expect((await readdir(out)).sort()).toEqual(['vk-fleet.acl', 'vk-fleet.conf']);
    for (const file of ['vk-fleet.acl', 'vk-fleet.conf'])
      expect((await stat(join(out, file))).mode & 0o777).toBe(0o640);
    const acl = await readFile(join(out, 'vk-fleet.acl'), 'utf8');
    expect(acl).not.toContain('vk-oslo-1-kiosk-07');
    expect(acl).toContain('user hq-relay-2\ntopic write vk/v1/vipps/#\n');
    expect(await readFile(join(out, 'vk-fleet.conf'), 'utf8')).toContain(
      `acl_file ${join(out, 'vk-fleet.acl')}\n`,
    );
  });

  it('exits 1 naming the bad entry and writes nothing; 2 without --fleet', async () => {
    const fleetFile = join(dir, 'bad-fleet.json');
    const out = join(dir, 'bad-out');
    await writeFile(
      fleetFile,
      JSON.stringify(
        fleet({
          hq: [
            { identity: 'hq-relay-1', role: 'relay' },
            { identity: 'hq-relay-1', role: 'relay' },
          ],
        }),
      ),
    );
    const [bad, usage] = await Promise.all([
      run(['hq', 'broker-config', '--fleet', fleetFile, '--out', out]),
      run(['hq', 'broker-config', '--out', out]),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain(
      `The fleet file ${fleetFile} is not usable:\n  - hq[1] (hq-relay-1): the identity`,
    );
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('--fleet FILE is required');
    expect(usage.output).toContain('usage: vipps-kiosk hq watch');
  });
});
