import type { Transfer } from 'usb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { controlSetup, type MakeTransfer, transferWithin } from '../../device/printer/libusb-transfer.js';

// The deadline the printer adapter keeps itself (libusb's own timeouts wait for its event thread, up
// to 60 s: see libusb-transfer.ts). libusb is the hardware edge here: a transfer that the test
// completes, fails, or never completes unless cancelled, as the kernel would.

type Done = Parameters<MakeTransfer>[0];

class PendingTransfer {
  done!: Done;
  submitted: Buffer | null = null;
  cancels = 0;
  constructor(private readonly submitError?: Error & { errno: number }) {}
  make: MakeTransfer = (done) => {
    this.done = done;
    return this as unknown as Transfer;
  };
  submit(buffer: Buffer) {
    if (this.submitError) throw this.submitError;
    this.submitted = buffer;
    return this;
  }
  cancel(): boolean {
    if (!this.submitted) return false;
    this.cancels++;
    // The kernel gives the URB back cancelled, later, on libusb's event thread.
    setTimeout(() => this.done(usbError('LIBUSB_TRANSFER_CANCELLED', 3), this.submitted!, 0), 1);
    return true;
  }
}

const usbError = (message: string, errno: number) => Object.assign(new Error(message), { errno });

describe('a libusb transfer within a deadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancels a transfer nothing answers when its time is up, and calls it a timeout', async () => {
    const transfer = new PendingTransfer();
    let settled: unknown = null;
    const outcome = transferWithin(transfer.make, Buffer.alloc(64), 300).then((o) => {
      settled = o;
      return o;
    });
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBeNull();
    expect(transfer.cancels).toBe(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(transfer.cancels).toBe(1);
    expect(await outcome).toEqual({ actual: 0, failure: { kind: 'timeout', message: 'timed out' } });
  });

  it('settles with what came, and cancels nothing, when the device answers in time', async () => {
    const transfer = new PendingTransfer();
    const outcome = transferWithin(transfer.make, Buffer.alloc(64), 300);
    transfer.done(undefined, transfer.submitted!, 1);
    expect(await outcome).toEqual({ actual: 1, failure: null });
    await vi.advanceTimersByTimeAsync(1000);
    expect(transfer.cancels).toBe(0);
  });

  it('tells a device that left the bus from other failures, whether the transfer or its submit says so', async () => {
    const gone = new PendingTransfer();
    const leaving = transferWithin(gone.make, Buffer.alloc(8), 300);
    gone.done(usbError('LIBUSB_TRANSFER_NO_DEVICE', 5), gone.submitted!, 3);
    expect(await leaving).toEqual({
      actual: 3,
      failure: { kind: 'gone', message: 'LIBUSB_TRANSFER_NO_DEVICE' },
    });

    const refused = new PendingTransfer(usbError('LIBUSB_ERROR_NO_DEVICE', -4));
    expect((await transferWithin(refused.make, Buffer.alloc(8), 300)).failure?.kind).toBe('gone');

    const stalled = new PendingTransfer();
    const stalling = transferWithin(stalled.make, Buffer.alloc(8), 300);
    stalled.done(usbError('LIBUSB_TRANSFER_STALL', 4), stalled.submitted!, 0);
    expect((await stalling).failure?.kind).toBe('failed');
  });

  it('lays out a control request as the USB setup packet, with room for the answer', () => {
    expect([...controlSetup({ requestType: 0xa1, request: 1, value: 0, index: 2 }, 1)]).toEqual([
      0xa1, 1, 0, 0, 2, 0, 1, 0, 0,
    ]);
  });
});
