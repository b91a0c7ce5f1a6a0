// The part of unix-dgram (no published types) the sd_notify client uses.
declare module 'unix-dgram' {
  import type { EventEmitter } from 'node:events';

  export interface UnixDgramSocket extends EventEmitter {
    connect(path: string): void;
    send(buffer: Buffer, callback?: (error?: Error) => void): void;
    close(): void;
  }

  export function createSocket(type: 'unix_dgram'): UnixDgramSocket;
}
