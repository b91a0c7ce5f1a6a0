import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { NotifySocketError, serviceNotifier } from '../../device/system/sd-notify.js';
import { ServiceWatchdog } from '../../device/system/watchdog.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { sandboxConfigDir } from '../support/config-dir.js';
import { describeWithTools } from '../support/required-tools.js';
import { waitFor } from '../telemetry/subscriber.js';
import { NotifySocket, PYTHON_BIN } from './notify-socket.js';

// From source, so the test never runs a stale build; in the same process, so the PID is the daemon's.
const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

describeWithTools(
  'sd_notify to a real unix datagram NOTIFY_SOCKET',
  { python3: PYTHON_BIN },
  'apt-get install -y python3',
  () => {
    let socket: NotifySocket;
    beforeEach(async () => {
      socket = await NotifySocket.open();
    });
    afterEach(async () => {
      await socket.close();
    });

    it('sends READY with a status, from this process, and reads the watchdog interval meant for it', async () => {
      const notifier = serviceNotifier(
        { NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) },
        process.pid,
      );
      expect(notifier.watchdogIntervalMs).toBe(30_000);
      await notifier.ready('serving on http://127.0.0.1:8080');
      await notifier.stopping('stopping on SIGTERM');
      notifier.close();
      await waitFor('two notifications', () => socket.received.length === 2);
      expect(socket.received).toEqual([
        { pid: process.pid, fields: { READY: '1', STATUS: 'serving on http://127.0.0.1:8080' } },
        { pid: process.pid, fields: { STOPPING: '1', STATUS: 'stopping on SIGTERM' } },
      ]);
    });

    it('a watchdog interval meant for another PID is not ours to keep', () => {
      const notifier = serviceNotifier(
        { NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' },
        4242,
      );
      expect(notifier.watchdogIntervalMs).toBeUndefined();
      notifier.close();
    });

    it('pings only while every registered check passes, and says which one failed', async () => {
      const notifier = serviceNotifier({ NOTIFY_SOCKET: socket.path }, process.pid);
      const watchdog = new ServiceWatchdog({ notifier, logger: silentLogger, intervalMs: 10_000 });
      let machine: 'active' | 'error' = 'active';
      watchdog.register('event loop', () => ({ healthy: true }));
      watchdog.register('checkout machine', () =>
        machine === 'active'
          ? { healthy: true }
          : { healthy: false, reason: 'the checkout machine is error' },
      );

      expect(await watchdog.tick()).toEqual([]);
      machine = 'error';
      expect(await watchdog.tick()).toEqual(['checkout machine: the checkout machine is error']);
      expect(await watchdog.tick()).toHaveLength(1);
      machine = 'active';
      expect(await watchdog.tick()).toEqual([]);
      watchdog.register('scanner loop', () => {
        throw new Error('hidraw gone');
      });
      expect(await watchdog.tick()).toEqual(['scanner loop: the check itself failed: Error: hidraw gone']);
      notifier.close();

      await waitFor('five notifications', () => socket.received.length === 5);
      expect(socket.received.map((n) => n.fields)).toEqual([
        { WATCHDOG: '1' },
        { STATUS: 'unhealthy: checkout machine: the checkout machine is error' },
        // The second failing round says nothing new and, above all, does not ping.
        { STATUS: 'serving' },
        { WATCHDOG: '1' },
        { STATUS: 'unhealthy: scanner loop: the check itself failed: Error: hidraw gone' },
      ]);
    });

    it('refuses a socket it cannot use, in words', () => {
      expect(() => serviceNotifier({ NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify' })).toThrow(
        /abstract socket/,
      );
      expect(() => serviceNotifier({ NOTIFY_SOCKET: join(socket.path, '..', 'nobody-here') })).toThrow(
        NotifySocketError,
      );
      expect(() => serviceNotifier({ NOTIFY_SOCKET: join(socket.path, '..', 'nobody-here') })).toThrow(
        /cannot reach systemd at NOTIFY_SOCKET=/,
      );
    });

    it('outside systemd every notification is a no-op', async () => {
      const notifier = serviceNotifier({});
      expect(notifier.watchdogIntervalMs).toBeUndefined();
      await notifier.ready('x');
      await notifier.watchdog();
    });

    describe('vipps-kiosk run under a service manager', () => {
      let sandbox: RunningSandbox;
      beforeAll(async () => {
        sandbox = await startSandbox();
      });
      afterAll(async () => {
        await sandbox.close();
      });

      it('READY once serving, WATCHDOG while healthy, STOPPING on SIGTERM; all from the main PID; exit 0', async () => {
        const { dir } = await sandboxConfigDir(sandbox);
        const daemon = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', '--config-dir', dir], {
          // 200 ms: pings every 100 ms, so the test sees several without waiting seconds.
          env: {
            ...process.env,
            NOTIFY_SOCKET: socket.path,
            WATCHDOG_USEC: '200000',
            JOURNAL_STREAM: '8:1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        daemon.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        daemon.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        try {
          await waitFor('READY=1', () => socket.with('READY').length > 0, 15_000);
          const [ready] = socket.with('READY');
          expect(ready!.pid).toBe(daemon.pid);
          expect(ready!.fields.STATUS).toMatch(/^serving on http:\/\/127\.0\.0\.1:\d+ as demo\/run-kiosk-1$/);
          const url = /serving on (\S+)/.exec(ready!.fields.STATUS!)![1]!;
          expect((await fetch(`${url}/healthz`)).status).toBe(200);

          await waitFor('three watchdog pings', () => socket.with('WATCHDOG').length >= 3);
          expect(new Set(socket.with('WATCHDOG').map((n) => n.pid))).toEqual(new Set([daemon.pid]));

          daemon.kill('SIGTERM');
          const [code] = await once(daemon, 'exit');
          expect(socket.with('STOPPING')).toEqual([
            { pid: daemon.pid, fields: { STOPPING: '1', STATUS: 'stopping on SIGTERM' } },
          ]);
          expect(code, output).toBe(0);
          // Under journald the log lines carry sd-daemon priorities instead of timestamps.
          expect(output).toMatch(/^<6> \[kiosk\] kiosk ready /m);
        } finally {
          if (daemon.exitCode === null) daemon.kill('SIGKILL');
          await rm(dir, { recursive: true, force: true });
        }
      });

      it('a daemon that cannot start says why in STATUS, for systemctl status, and exits 1', async () => {
        const { dir } = await sandboxConfigDir(sandbox, { catalog: { file: '/nonexistent/catalog.json' } });
        const daemon = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', '--config-dir', dir], {
          env: { ...process.env, NOTIFY_SOCKET: socket.path },
          stdio: 'ignore',
        });
        try {
          const [code] = await once(daemon, 'exit');
          expect(code).toBe(1);
          await waitFor('the status', () => socket.with('STATUS').length > 0);
          expect(socket.with('READY')).toEqual([]);
          expect(socket.with('STATUS')[0]!.fields.STATUS).toMatch(
            /^cannot start: Catalog \/nonexistent\/catalog\.json cannot be used: +- cannot be read: ENOENT/,
          );
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    });
  },
);
