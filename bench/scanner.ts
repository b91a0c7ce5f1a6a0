import { performance } from 'node:perf_hooks';
import { silentLogger } from '../common/log/logger.js';
import { hidPosReports } from '../device/hardware/hid-pos-decoder.js';
import { HidScanner } from '../device/hardware/hid-scanner.js';
import { keyboardReports } from '../device/hardware/keyboard-layouts.js';
import { HID_POS_USAGE_PAGE } from '../device/hardware/known-scanners.js';
import { HidStandIn } from '../test/hardware/hid-stand-in.js';
import { VIPPS_QR } from '../test/hardware/scanner-contract.js';
import { percentile, table } from './stats.js';

const us = (milliseconds: number) => `${(milliseconds * 1000).toFixed(1)} µs`;

// From the last USB report of a scan to the scan event, through the real adapter (HidScanner and its
// decoders), with reports handed over in-process as node-hid hands them over. What it leaves out is
// node-hid's own hop from its read thread to the event loop, which is the same for both modes.

const USB_POLL_MS = [1, 8];

async function latencies(mode: 'hid-pos' | 'keyboard', scans: number): Promise<number[]> {
  const usb = new HidStandIn(
    {
      vendorId: 0x0c2e,
      productId: 0x0b6a,
      path: '/dev/hidraw0',
      interface: 0,
      ...(mode === 'hid-pos' ? { usagePage: HID_POS_USAGE_PAGE, usage: 2 } : { usagePage: 1, usage: 6 }),
    },
    true,
  );
  const scanner = new HidScanner(usb, usb.hotplug, {
    keyboard: { layout: 'no', terminator: 'enter-or-tab', interCharTimeoutMs: 100 },
    continuationTimeoutMs: 200,
    pollMs: 1000,
    settleMs: 10,
    logger: silentLogger,
  });
  let seen = 0;
  let at = 0;
  const samples: number[] = [];
  scanner.subscribe((event) => {
    if (event.type !== 'scan') return;
    if (event.text !== VIPPS_QR) throw new Error(`decoded ${JSON.stringify(event.text)}`);
    samples.push(performance.now() - at);
    seen++;
  });
  await scanner.start();
  const reports = mode === 'hid-pos' ? hidPosReports(VIPPS_QR) : keyboardReports('no', VIPPS_QR);
  const last = reports.length - 1;
  // The key-up after Enter ends nothing; the scan ends on the Enter key-down.
  const ending = mode === 'keyboard' ? last - 1 : last;
  for (let i = 0; i < scans + 200; i++) {
    usb.send(reports.slice(0, ending));
    at = performance.now();
    usb.send(reports.slice(ending));
    // Let timers and I/O run between scans, as they would between customers.
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await scanner.stop();
  if (seen !== scans + 200) throw new Error(`${seen} scans for ${scans + 200} sent`);
  return samples.slice(200);
}

export async function benchScanner(scans: number): Promise<{ lines: string }> {
  const rows = [
    [
      'mode',
      'scans',
      'p50',
      'p99',
      'max',
      'reports per scan',
      ...USB_POLL_MS.map((p) => `on the wire at ${p} ms poll`),
    ],
  ];
  for (const mode of ['hid-pos', 'keyboard'] as const) {
    const samples = await latencies(mode, scans);
    const reports =
      mode === 'hid-pos' ? hidPosReports(VIPPS_QR).length : keyboardReports('no', VIPPS_QR).length;
    rows.push([
      mode,
      String(samples.length),
      us(percentile(samples, 50)),
      us(percentile(samples, 99)),
      us(Math.max(...samples)),
      String(reports),
      ...USB_POLL_MS.map((poll) => `${reports * poll} ms`),
    ]);
  }
  const keyboard = keyboardReports('no', VIPPS_QR).length;
  return {
    lines: [
      table(rows),
      '',
      `Target: p99 < 1 ms from the last report to the scan event, in both modes.`,
      `Keyboard mode's own cost is on the wire, not in the kiosk: two reports per character (key down, key up) plus Enter,`,
      `${keyboard} reports for this ${VIPPS_QR.length}-character personal QR, one per USB poll interval, so ${keyboard} ms at 1 ms and`,
      `${keyboard * 8} ms at 8 ms; HID-POS sends the same code in one 64-byte report (56 bytes of data per report).`,
      'Reproduce alone: npx tsx bench/scanner.ts (SCANNER_SCANS sets the sample size, default 5000).',
    ].join('\n'),
  };
}

if (process.argv[1]?.endsWith('scanner.ts')) {
  process.stdout.write(`${(await benchScanner(Number(process.env.SCANNER_SCANS ?? 5000))).lines}\n`);
}
