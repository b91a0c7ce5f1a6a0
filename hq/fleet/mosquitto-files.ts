import { HQ_ALERTS_TOPIC, TOPIC_ROOT } from '../../contracts/topics.js';
import { type Fleet, type FleetKiosk, type FleetListener, type HqRole, kioskIdentity } from './fleet-file.js';

// The Mosquitto files of a fleet: an acl_file (contracts/asyncapi.yaml, "Broker ACL for a fleet", is
// its documented shape) and a config snippet whose listeners tie each client's id to its identity.

/**
 * What each HQ role may do. Only `commands` writes commands; the internet-facing relay only vipps/;
 * only the collector, whose rules raise them, HQ's alert topic.
 */
const ROLE_TOPICS: Record<HqRole, readonly string[]> = {
  commands: [`topic read ${TOPIC_ROOT}/#`, `topic write ${TOPIC_ROOT}/+/+/cmd/#`],
  relay: [`topic write ${TOPIC_ROOT}/vipps/#`],
  collector: [`topic read ${TOPIC_ROOT}/#`, `topic write ${HQ_ALERTS_TOPIC}`],
  watch: [`topic read ${TOPIC_ROOT}/#`],
};

/**
 * A kiosk publishes each of its own topics but never its `cmd/#` (`topic write .../#` would let it
 * command itself), and reads its commands and its sales unit's relayed webhooks. Mosquitto's `pattern`
 * lines cannot split one username into site and device, hence one block per kiosk.
 */
export function kioskAcl(kiosk: FleetKiosk): string[] {
  const base = `${TOPIC_ROOT}/${kiosk.site}/${kiosk.device}`;
  return [
    `user ${kioskIdentity(kiosk)}`,
    ...['status', 'state', 'health', 'events/+', 'resp/+', 'files/+'].map(
      (topic) => `topic write ${base}/${topic}`,
    ),
    `topic read ${base}/cmd/#`,
    `topic read ${TOPIC_ROOT}/vipps/${kiosk.merchantSerialNumber}/payments/+`,
  ];
}

export function renderAcl(fleet: Fleet, source: string): string {
  const blocks = [
    ...fleet.kiosks.map(kioskAcl),
    ...fleet.hq.map(({ identity, role }) => [`# role: ${role}`, `user ${identity}`, ...ROLE_TOPICS[role]]),
  ];
  // No line before the first `user`: those would apply to anonymous clients, which are refused anyway.
  return `${header(source)}\n${blocks.map((block) => `${block.join('\n')}\n`).join('\n')}`;
}

/** Broker-wide settings of a fleet's broker, whatever its listeners (bench/fleet.ts runs with them too). */
export const FLEET_BROKER_SETTINGS = [
  // A kiosk awaits the SUBACK of its payment's webhook topic on the customer's path (docs/hq-operations.md).
  'set_tcp_nodelay true',
  // Mosquitto queues at most 1,000 QoS 1 messages per client by default and drops the rest: a collector
  // replica behind a reconnect storm (every kiosk's status and state at once) lost events to it in the
  // fleet benchmark. A million (about 1 GB of telemetry at most; 0, "no limit", stopped deliveries to a
  // client whose publish the ACL had refused, on Debian's Mosquitto 2.0.11).
  'max_queued_messages 1000000',
] as const;

export function renderConfig(fleet: Fleet, source: string, aclFile: string): string {
  const { broker } = fleet;
  const global = [
    // The ACL and the password file hold for every listener.
    'per_listener_settings false',
    'allow_anonymous false',
    `acl_file ${aclFile}`,
    ...(broker.passwordFile !== undefined ? [`password_file ${broker.passwordFile}`] : []),
    ...FLEET_BROKER_SETTINGS,
  ];
  const sections = [global.join('\n'), ...broker.listeners.map(listenerLines)];
  return `${header(source)}\n${sections.map((section) => `${section}\n`).join('\n')}`;
}

/**
 * `use_username_as_clientid`: the broker replaces whatever client id a client sends with its username,
 * so a client can only ever take over its own session, never another's.
 */
function listenerLines(listener: FleetListener): string {
  const tls = [
    ...(listener.caFile !== undefined ? [`cafile ${listener.caFile}`] : []),
    ...(listener.certFile !== undefined ? [`certfile ${listener.certFile}`] : []),
    ...(listener.keyFile !== undefined ? [`keyfile ${listener.keyFile}`] : []),
  ];
  const lines =
    listener.auth === 'certificate'
      ? [
          '# Kiosks: a client certificate from the fleet CA; its CN, vk-{site}-{device}, is the username.',
          `listener ${listener.port}${listener.bind !== undefined ? ` ${listener.bind}` : ''}`,
          ...tls,
          'require_certificate true',
          'use_identity_as_username true',
        ]
      : [
          '# HQ programs: a username and password from the password file.',
          `listener ${listener.port}${listener.bind !== undefined ? ` ${listener.bind}` : ''}`,
          ...tls,
        ];
  return [...lines, 'use_username_as_clientid true'].join('\n');
}

function header(source: string): string {
  return (
    `# Written by \`vipps-kiosk hq broker-config\` from ${source}. Do not edit: change the fleet file,\n` +
    '# run the command again and reload Mosquitto (see "The broker" in docs/hq-operations.md).\n'
  );
}
