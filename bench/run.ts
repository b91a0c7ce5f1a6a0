import { benchApprovalToReceipt } from './approval-to-receipt.js';
import { benchCheckouts } from './checkouts.js';
import { benchFleet, FLEET_RUNS } from './fleet.js';
import { benchPixels } from './pixels.js';
import { benchPosToPush } from './pos-to-push.js';
import { benchPrinter } from './printer.js';
import { benchScanner } from './scanner.js';
import { benchTelemetry } from './telemetry.js';
import { benchVippsClient } from './vipps-client.js';
import { benchWebhookRelay } from './webhook-relay.js';

// `npm run bench`: every benchmark in one run, figures printed as percentiles and ratios measured here.
// Reproduce with `npm install && npm run bench` on an idle machine; CHECKOUTS=N changes the sample size.

const checkouts = Number(process.env.CHECKOUTS ?? 300);

function header(title: string, how: string): void {
  process.stdout.write(`\n== ${title}\n${how}\n\n`);
}

header(
  'Vipps client: checkout-shaped round trips to the sandbox on loopback',
  `${checkouts} checkouts per caller (create, get, capture), callers interleaved; the sandbox runs in its own process.`,
);
const client = await benchVippsClient(checkouts);
process.stdout.write(`${client.lines}\n`);

const fullCheckouts = Number(process.env.FULL_CHECKOUTS ?? 1000);
header(
  'Kiosk daemon: scan-to-push and memory over full checkouts',
  `${fullCheckouts} checkouts (2 items, personal QR, approve, capture, receipt) against the sandbox in its own process.`,
);
const daemon = await benchCheckouts(fullCheckouts);
process.stdout.write(`${daemon.lines}\n`);

const posPayments = Number(process.env.POS_PAYMENTS ?? 200);
header(
  'Attended mode: POS request to push on the wire',
  `${posPayments} payments POSTed to the terminal API on loopback with the customer's QR, timed to the first byte of the create to the sandbox (its own process); each aborted once pushed.`,
);
const posToPush = await benchPosToPush(posPayments);
process.stdout.write(`${posToPush.lines}\n`);

const changes = Number(process.env.PIXEL_SAMPLES ?? 200);
header(
  'Kiosk screen: state change to pixels in Chromium',
  `${changes} basket changes sent over the daemon's WebSocket from a headless Debian Chromium page, timed to the frame that shows them.`,
);
const pixels = await benchPixels(changes);
process.stdout.write(`${pixels.lines}\n`);

const telemetryEvents = Number(process.env.TELEMETRY_EVENTS ?? 10_000);
header(
  'Telemetry: the outbox and its drain to Mosquitto on loopback',
  `${telemetryEvents} events written while offline, then drained to a real Mosquitto (needs the mosquitto package).`,
);
const telemetry = await benchTelemetry(telemetryEvents);
process.stdout.write(`${telemetry.lines}\n`);

const webhookDeliveries = Number(process.env.WEBHOOK_DELIVERIES ?? 5_000);
header(
  'Webhook relay: signed deliveries in, MQTT out',
  `${webhookDeliveries} signed deliveries over HTTP on loopback to \`vipps-kiosk webhook-relay\` in its own process (one core), relayed to a real Mosquitto.`,
);
const relay = await benchWebhookRelay(webhookDeliveries);
process.stdout.write(`${relay.lines}\n`);

const approvals = Number(process.env.APPROVAL_SAMPLES ?? 20);
header(
  'Approval at Vipps to receipt on the kiosk: webhooks and polling',
  `${approvals} payments per path, approved in the sandbox (its own process) 2–8 s after the push, timed to the kiosk's \`approved\` state with its receipt; the kiosk on the real clock as \`vipps-kiosk demo\` runs it.`,
);
const approval = await benchApprovalToReceipt(approvals);
process.stdout.write(`${approval.lines}\n`);

const scannerScans = Number(process.env.SCANNER_SCANS ?? 5000);
header(
  'Scanner: last USB report to scan event',
  `${scannerScans} Vipps personal QR scans per mode through the real adapter (HidScanner and its decoders), reports handed over in-process.`,
);
const scanner = await benchScanner(scannerScans);
process.stdout.write(`${scanner.lines}\n`);

const printerSales = Number(process.env.PRINTER_SALES ?? 200);
header(
  'Receipt printer: sale completed to last byte, paper out to health at HQ',
  `${printerSales} sales through the whole daemon in demo mode (a cash register: journaled and signed), each receipt encoded and taken by the simulated printer; then ${printerSales} paper-outs, each timed to the health sample at HQ's subscriber on a real Mosquitto.`,
);
const printer = await benchPrinter(printerSales, printerSales);
process.stdout.write(`${printer.lines}\n`);

header(
  'HQ fleet: simulated kiosks to rows in PostgreSQL through two collector replicas',
  `${FLEET_RUNS.map((r) => `${r.kiosks} kiosks for ${r.seconds} s`).join(', then ')}, on a real Mosquitto (one shared-subscription group) and a throwaway PostgreSQL cluster, alert rules on; an outage of a tenth of the kiosks and a reconnect storm of all of them in each run.`,
);
const fleet = await benchFleet(FLEET_RUNS);
process.stdout.write(`${fleet.lines}\n`);

process.stdout.write(
  '\nReproduce: npm install && npm run bench   (CHECKOUTS, FULL_CHECKOUTS, POS_PAYMENTS, PIXEL_SAMPLES, TELEMETRY_EVENTS, WEBHOOK_DELIVERIES, APPROVAL_SAMPLES, SCANNER_SCANS and PRINTER_SALES set the sample sizes; defaults 300, 1000, 200, 200, 10000, 5000, 20, 5000, 200)\n',
);
