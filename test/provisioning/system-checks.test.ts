import { once } from 'node:events';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import {
  checkBroker,
  checkClock,
  checkDiskSpace,
  checkVipps,
  systemChecks,
} from '../../device/system/system-checks.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';

// The system rows of the self-test, each against the real thing it asks: the Vipps sandbox over
// HTTP, the file system, the clock of a real HTTP answer.

let sandbox: RunningSandbox;
let deadUrl: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  deadUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  server.close();
  await once(server, 'close');
});
afterAll(async () => {
  await sandbox.close();
});

describe('system checks', () => {
  it('Vipps: pass with the right keys, fail in words with wrong ones or when unreachable', async () => {
    const target = { baseUrl: sandbox.url, credentials: sandbox.credentials, timeoutMs: 2_000 };
    expect(await checkVipps(target)).toEqual({
      name: 'Vipps credentials',
      status: 'pass',
      detail: `access token issued by ${sandbox.url}`,
    });
    const wrong = await checkVipps({
      ...target,
      credentials: { ...sandbox.credentials, clientSecret: 'nope' },
    });
    expect(wrong).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining("rejected the kiosk's credentials"),
    });
    expect(wrong.detail).not.toContain('nope');
    const away = await checkVipps({ ...target, baseUrl: deadUrl });
    expect(away).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^Vipps unavailable for access token/),
    });
  });

  it('disk space: pass, warn and fail against the free space actually there', async () => {
    const dir = tmpdir();
    const { bavail, bsize } = await statfs(dir);
    const free = bavail * bsize;
    expect(await checkDiskSpace(dir, { warnBelowBytes: 1, failBelowBytes: 1 })).toMatchObject({
      status: 'pass',
    });
    expect(await checkDiskSpace(dir, { warnBelowBytes: free * 2, failBelowBytes: 1 })).toMatchObject({
      status: 'warn',
    });
    expect(await checkDiskSpace(dir, { warnBelowBytes: free * 4, failBelowBytes: free * 2 })).toMatchObject({
      name: 'disk space',
      status: 'fail',
      detail: expect.stringContaining(`free for ${dir}; at least`),
    });
    expect(await checkDiskSpace('/nonexistent/state')).toEqual({
      name: 'disk space',
      status: 'fail',
      detail: 'cannot look at /nonexistent/state: ENOENT',
    });
  });

  it("clock: compared with the Date of the host's answer; minutes off fail, no answer warns", async () => {
    const options = (offsetMs: number) => ({ timeoutMs: 2_000, now: () => Date.now() + offsetMs });
    expect(await checkClock(sandbox.url, options(0))).toMatchObject({ status: 'pass' });
    expect(await checkClock(sandbox.url, options(30_000))).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^(29|30|31) s ahead of .*; is NTP running\?$/),
    });
    expect(await checkClock(sandbox.url, options(-3_600_000))).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^(3599|3600|3601) s behind .*set the time/),
    });
    expect(await checkClock(deadUrl, options(0))).toMatchObject({ status: 'warn' });
  });
});

describe('system checks of a loaded configuration', () => {
  it('one row each for Vipps, the broker, disk space and the clock', async () => {
    const settings = sandboxSettings(sandbox, { stateDir: tmpdir(), port: 0 });
    const rows = await systemChecks(settings, { timeoutMs: 2_000 });
    expect(rows.map((r) => [r.name, r.status])).toEqual([
      ['Vipps credentials', 'pass'],
      ['HQ broker', 'warn'],
      ['disk space', expect.stringMatching(/^(pass|warn)$/)],
      ['clock', 'pass'],
    ]);
  });
});

// With use_username_as_clientid the broker binds a client id to the kiosk's identity: a self-test that
// logged in as the kiosk while the daemon runs would knock the daemon's own connection off. Beside a
// running kiosk (the boot self-test, or a tech's selftest) the broker row is that kiosk's link.
describe('the HQ broker row beside a running kiosk', () => {
  const withBroker = () => {
    const settings = sandboxSettings(sandbox, { stateDir: tmpdir(), port: 0 });
    // Nothing listens there: a login of the self-test's own would fail.
    const brokerUrl = `mqtt://${deadUrl.slice('http://'.length)}`;
    return { ...settings, telemetry: { ...settings.telemetry, brokerUrl } };
  };
  const brokerRow = async (connected: boolean | null) =>
    (await systemChecks(withBroker(), { timeoutMs: 2_000, runningLink: async () => connected })).find(
      (row) => row.name === 'HQ broker',
    );

  it("is the running kiosk's link, not a login as the kiosk", async () => {
    expect(await brokerRow(true)).toEqual({
      name: 'HQ broker',
      status: 'pass',
      detail: `the kiosk is connected to mqtt://${deadUrl.slice('http://'.length)}`,
    });
    expect(await brokerRow(false)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the kiosk is not connected'),
    });
  });

  it('logs in itself when no kiosk runs', async () => {
    expect(await brokerRow(null)).toMatchObject({
      status: 'fail',
      detail: expect.not.stringContaining('the kiosk is'),
    });
  });
});

// The boot self-test sends its rows to HQ (selftest-completed): a broker URL with a login in it must
// reach neither HQ nor the journal with its password.
describe('the HQ broker row of a URL with a password in it', () => {
  it('fails without showing the password', async () => {
    const host = deadUrl.slice('http://'.length);
    const row = await checkBroker({ url: `mqtt://storo-1:s3cret-token@${host}` });
    expect(row).toMatchObject({ status: 'fail', detail: expect.stringContaining(`mqtt://${host}`) });
    expect(row.detail).not.toContain('s3cret-token');
  });

  describeWithMosquitto('against a real broker', () => {
    let broker: Mosquitto;
    beforeAll(async () => {
      broker = await Mosquitto.start();
    });
    afterAll(async () => {
      await broker?.dispose();
    });

    it('passes without showing the password', async () => {
      const { host } = new URL(broker.url);
      const url = `mqtt://${broker.username}:${encodeURIComponent(broker.password)}@${host}`;
      expect(await checkBroker({ url })).toEqual({
        name: 'HQ broker',
        status: 'pass',
        detail: `logged in to mqtt://${host}`,
      });
    });
  });
});
