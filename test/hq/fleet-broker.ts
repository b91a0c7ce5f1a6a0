import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { brokerConfigCommand } from '../../hq/commands/broker-config.js';
import { MOSQUITTO_PASSWD_BIN, Mosquitto } from '../telemetry/mosquitto.js';

// A real Mosquitto running a fleet's broker files (an acl_file and a config snippet), with a password
// for each user. The suite's Mosquitto helper makes the CA, the server certificate and the ports; its
// broker is then restarted on this config instead of its own.

export interface FleetBrokerFiles {
  /** The config snippet to run, written for `broker` (its ports, its directory). */
  config(broker: Mosquitto): Promise<string>;
  /** Users of the password file. */
  users: readonly string[];
}

export class FleetBroker {
  private readonly clients: MqttClient[] = [];

  private constructor(
    readonly broker: Mosquitto,
    private readonly passwords: ReadonlyMap<string, string>,
  ) {}

  static async start(files: FleetBrokerFiles): Promise<FleetBroker> {
    const broker = await Mosquitto.start();
    await broker.stop();
    const passwords = new Map(files.users.map((user) => [user, randomBytes(12).toString('hex')]));
    const passwordFile = join(broker.dir, 'fleet-passwd');
    // Plain `user:password` lines that mosquitto_passwd -U hashes in place: no password in any argv.
    await writeFile(passwordFile, [...passwords].map(([user, pw]) => `${user}:${pw}\n`).join(''), {
      mode: 0o600,
    });
    execFileSync(MOSQUITTO_PASSWD_BIN, ['-U', passwordFile], { stdio: 'pipe' });
    const snippet = await files.config(broker);
    await writeFile(
      join(broker.dir, 'mosquitto.conf'),
      [
        `user ${userInfo().username}`,
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type notice',
        snippet,
      ].join('\n'),
    );
    await broker.run();
    return new FleetBroker(broker, passwords);
  }

  get passwordFile(): string {
    return join(this.broker.dir, 'fleet-passwd');
  }

  password(user: string): string {
    const password = this.passwords.get(user);
    if (password === undefined) throw new Error(`no password for ${user}`);
    return password;
  }

  /** MQTT 5 on the password listener as `user`, with the client id given (or the user's own). */
  async connect(user: string, options: IClientOptions = {}): Promise<MqttClient> {
    const client = await connectAsync(this.broker.url, {
      username: user,
      password: this.password(user),
      clientId: user,
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...options,
    });
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  /** MQTT 5 on the certificate listener with a certificate for `commonName` from the test CA. */
  async connectWithCertificate(commonName: string, options: IClientOptions = {}): Promise<MqttClient> {
    const pem = await this.broker.clientCertificate(commonName);
    const client = await connectAsync(this.broker.tlsUrl, {
      ...pem,
      clientId: commonName,
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...options,
    });
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.endAsync(true).catch(() => {})));
    await this.broker.dispose();
  }
}

/** Everything `client` receives, in order. */
export function recorder(client: MqttClient): { topic: string; text: string }[] {
  const received: { topic: string; text: string }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, text: payload.toString() }));
  return received;
}

/** 'closed' once the broker has closed `client`'s connection; attach before anything can close it. */
export function closed(client: MqttClient): Promise<'closed'> {
  return new Promise((resolve) => client.once('close', () => resolve('closed')));
}

/** `vipps-kiosk hq broker-config --fleet FILE --out DIR` in this process (a spawn per broker costs
 * seconds on a busy machine), its summary kept off the test output. */
export async function writeBrokerFiles(fleetFile: string, out: string): Promise<void> {
  const print = process.stdout.write;
  process.stdout.write = () => true;
  try {
    await brokerConfigCommand(['broker-config', '--fleet', fleetFile, '--out', out]);
  } finally {
    process.stdout.write = print;
  }
}

/**
 * The fleet file's `broker` for the suite's Mosquitto: the password listener on its port, the certificate
 * listener on its TLS port with the test CA.
 */
export function fleetBrokerSection(broker: Mosquitto) {
  return {
    passwordFile: join(broker.dir, 'fleet-passwd'),
    listeners: [
      { port: broker.port, bind: '127.0.0.1', auth: 'password' },
      {
        port: broker.tlsPort,
        bind: '127.0.0.1',
        auth: 'certificate',
        caFile: join(broker.dir, 'ca.crt'),
        certFile: join(broker.dir, 'server.crt'),
        keyFile: join(broker.dir, 'server.key'),
      },
    ],
  };
}
