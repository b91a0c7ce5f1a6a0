import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../telemetry/subscriber.js';

// What systemd does with NOTIFY_SOCKET, done by another implementation than the one under test:
// Python binds an AF_UNIX datagram socket with SO_PASSCRED and reports each datagram with the PID the
// kernel vouches for (SCM_CREDENTIALS), which is how systemd tells the main process from others.
const RECEIVER = `
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(sys.argv[1])
print(json.dumps({"bound": True}), flush=True)
while True:
    data, ancillary, _flags, _address = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iII", payload[:12])[0]
    print(json.dumps({"pid": pid, "text": data.decode()}), flush=True)
`;

export const PYTHON_BIN = '/usr/bin/python3';

export interface Notification {
  pid: number;
  fields: Record<string, string>;
}

export class NotifySocket {
  readonly received: Notification[] = [];
  private readonly child: ChildProcess;
  private readonly dir: string;

  private constructor(dir: string, child: ChildProcess) {
    this.dir = dir;
    this.child = child;
  }

  get path(): string {
    return join(this.dir, 'notify');
  }

  static async open(): Promise<NotifySocket> {
    const dir = mkdtempSync(join(tmpdir(), 'vk-notify-'));
    const child = spawn(PYTHON_BIN, ['-c', RECEIVER, join(dir, 'notify')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const socket = new NotifySocket(dir, child);
    let bound = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { bound?: true; pid: number; text: string };
      if (message.bound) {
        bound = true;
        return;
      }
      const fields = Object.fromEntries(
        message.text.split('\n').map((assignment) => {
          const at = assignment.indexOf('=');
          return [assignment.slice(0, at), assignment.slice(at + 1)];
        }),
      );
      socket.received.push({ pid: message.pid, fields });
    });
    await waitFor('the notify socket to be bound', () => bound);
    return socket;
  }

  /** Every notification carrying `key`, in order. */
  with(key: string): Notification[] {
    return this.received.filter((n) => key in n.fields);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill();
      await once(this.child, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
