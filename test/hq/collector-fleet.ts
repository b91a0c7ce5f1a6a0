import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Mosquitto } from '../telemetry/mosquitto.js';
import { FleetBroker, fleetBrokerSection, writeBrokerFiles } from './fleet-broker.js';

// The collector tests' world: a real Mosquitto running the fleet's generated broker files, with one
// kiosk and two collector replicas, each its own identity (the `collector` role).

export const KIOSK = { site: 'oslo-1', device: 'kiosk-07', id: 'vk-oslo-1-kiosk-07' };
export const COLLECTORS = ['hq-collector-1', 'hq-collector-2'] as const;
/** `hq watch`'s identity: its clean session must not take over a collector's persistent one. */
export const WATCH = 'hq-watch';

async function fleetConfig(broker: Mosquitto): Promise<string> {
  const fleetFile = join(broker.dir, 'fleet.json');
  await writeFile(
    fleetFile,
    JSON.stringify({
      kiosks: [{ site: KIOSK.site, device: KIOSK.device, merchantSerialNumber: '123456' }],
      hq: [
        ...COLLECTORS.map((identity) => ({ identity, role: 'collector' })),
        { identity: WATCH, role: 'watch' },
      ],
      broker: fleetBrokerSection(broker),
    }),
  );
  await writeBrokerFiles(fleetFile, broker.dir);
  return readFile(join(broker.dir, 'vk-fleet.conf'), 'utf8');
}

export function startCollectorFleet(): Promise<FleetBroker> {
  return FleetBroker.start({ users: [KIOSK.id, ...COLLECTORS, WATCH], config: fleetConfig });
}

let sequence = 0;

/** A sale as the kiosk's outbox sends it, now unless `at` says when; a fresh id. */
export function sale(amount: number, at = new Date()) {
  const id = `01sale${String(++sequence).padStart(20, '0')}`;
  return {
    id,
    type: 'checkout-completed',
    class: 'money',
    at: at.toISOString(),
    payload: {
      reference: `${KIOSK.device}-${id}-1`,
      receiptNumber: String(sequence),
      amount,
      currency: 'NOK',
      items: 1,
      vat: [{ rate: 1500, amount: Math.round(amount / 7.666) }],
      memberSavings: 0,
    },
  };
}

/** Publishes as the kiosk does (QoS 1) on its own topic `rest`. */
export async function publish(kiosk: MqttClient, rest: string, body: unknown): Promise<void> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  await kiosk.publishAsync(`vk/v1/${KIOSK.site}/${KIOSK.device}/${rest}`, text, { qos: 1 });
}
