import { createSocket, type UnixDgramSocket } from 'unix-dgram';

// systemd's service notification protocol (sd_notify(3)): newline-separated KEY=VALUE datagrams sent
// to the AF_UNIX socket named in NOTIFY_SOCKET. Node has no unix datagram sockets, and shelling out to
// systemd-notify is racy (a message from a process that has already exited may not be attributed to
// the service) and would need NotifyAccess=all; so the daemon sends them itself through unix-dgram, a
// small native binding (the one zigbee2mqtt uses for the same job), from its own PID.

/** Whatever sends notifications: the socket under systemd, nothing elsewhere. */
export interface ServiceNotifier {
  /** The service watchdog's interval when systemd asked for pings (WatchdogSec=), else undefined. */
  readonly watchdogIntervalMs: number | undefined;
  ready(status: string): Promise<void>;
  status(status: string): Promise<void>;
  watchdog(): Promise<void>;
  stopping(status: string): Promise<void>;
  close(): void;
}

/** NOTIFY_SOCKET is set but unusable: the daemon would never be seen as started, so it must say why. */
export class NotifySocketError extends Error {
  override readonly name = 'NotifySocketError';
}

/** Not running under systemd (a terminal, the demo, a test): every notification is a no-op. */
const NO_SERVICE_MANAGER: ServiceNotifier = {
  watchdogIntervalMs: undefined,
  ready: async () => {},
  status: async () => {},
  watchdog: async () => {},
  stopping: async () => {},
  close: () => {},
};

class SocketNotifier implements ServiceNotifier {
  private readonly socket: UnixDgramSocket;
  readonly watchdogIntervalMs: number | undefined;

  constructor(socket: UnixDgramSocket, watchdogIntervalMs: number | undefined) {
    this.socket = socket;
    this.watchdogIntervalMs = watchdogIntervalMs;
  }

  ready(status: string): Promise<void> {
    return this.send({ READY: '1', STATUS: status });
  }

  status(status: string): Promise<void> {
    return this.send({ STATUS: status });
  }

  watchdog(): Promise<void> {
    return this.send({ WATCHDOG: '1' });
  }

  stopping(status: string): Promise<void> {
    return this.send({ STOPPING: '1', STATUS: status });
  }

  close(): void {
    this.socket.close();
  }

  private send(fields: Record<string, string>): Promise<void> {
    // A newline inside a value would start a new assignment; STATUS is free text.
    const text = Object.entries(fields)
      .map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}`)
      .join('\n');
    return new Promise((resolve, reject) => {
      this.socket.send(Buffer.from(text), (error) => (error ? reject(error) : resolve()));
    });
  }
}

/**
 * The notifier for this process, from the environment systemd gives a service: NOTIFY_SOCKET (where to
 * send), WATCHDOG_USEC and WATCHDOG_PID (whether this process is the one expected to ping).
 */
export function serviceNotifier(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ServiceNotifier {
  const path = env.NOTIFY_SOCKET;
  if (!path) return NO_SERVICE_MANAGER;
  if (path.startsWith('@')) {
    throw new NotifySocketError(
      `NOTIFY_SOCKET=${path} is an abstract socket, which this daemon cannot send to; ` +
        'run it as a system service (systemd gives /run/systemd/notify) or without Type=notify',
    );
  }
  const socket = createSocket('unix_dgram');
  let failure: Error | undefined;
  socket.once('error', (error: Error) => {
    failure = error;
  });
  socket.connect(path);
  if (failure) {
    socket.close();
    throw new NotifySocketError(`cannot reach systemd at NOTIFY_SOCKET=${path}: ${failure.message}`);
  }
  // Later send errors are answered through each send's callback.
  socket.on('error', () => {});
  return new SocketNotifier(socket, watchdogInterval(env, pid));
}

function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return usec / 1000;
}
