import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { lendScannerKeyboards } from '../../provisioning/scanner-keyboard.js';

// /sys/class/input laid out in a scratch directory: a Honeywell scanner's keyboard interface that udev
// inhibited, a real keyboard, and a Datalogic scanner a tech had already let through.
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function device(name: string, vendor: string, inhibited: string) {
  mkdirSync(join(root, name, 'id'), { recursive: true });
  writeFileSync(join(root, name, 'id', 'vendor'), `${vendor}\n`);
  writeFileSync(join(root, name, 'inhibited'), `${inhibited}\n`);
}
const state = (name: string) => readFileSync(join(root, name, 'inhibited'), 'utf8').trim();

it('lets only the inhibited scanners type during provisioning, and inhibits them again after', () => {
  root = mkdtempSync(join(tmpdir(), 'vk-input-'));
  device('input3', '0c2e', '1');
  device('input4', '046d', '1');
  device('input5', '05f9', '0');
  const giveBack = lendScannerKeyboards(root);
  expect([state('input3'), state('input4'), state('input5')]).toEqual(['0', '1', '0']);
  giveBack();
  expect([state('input3'), state('input4'), state('input5')]).toEqual(['1', '1', '0']);
});

it('does nothing where the kernel has no input class (a container, a test machine)', () => {
  root = join(tmpdir(), `vk-no-input-${process.pid}`);
  expect(() => lendScannerKeyboards(root)()).not.toThrow();
});
