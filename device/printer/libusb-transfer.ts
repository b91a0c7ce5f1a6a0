import type { Transfer } from 'usb';

// One libusb transfer that settles by a deadline this side keeps. Not libusb's own timeout: the `usb`
// package builds its libusb without timerfd (its gyp file defines USBI_TIMERFD_AVAILABLE, a name
// libusb no longer reads; libusb looks for HAVE_TIMERFD), and without it a transfer's timeout is
// noticed only when libusb's event thread next wakes, which is up to 60 s later when nothing else
// happens on the bus. A printer that does not answer DLE EOT held every status read for a minute that
// way (the HIL VM showed it). Cancelling wakes the event thread at once: the kernel gives the URB back.

/** libusb_transfer_status values, as the `usb` package puts them in an error's errno. */
const TRANSFER_TIMED_OUT = 2;
const TRANSFER_CANCELLED = 3;
const TRANSFER_NO_DEVICE = 5;
/** libusb_error values, as `submit` throws them. */
const ERROR_NO_DEVICE = -4;
const ERROR_TIMEOUT = -7;

/** Why a transfer stopped short: the time ran out, the device left the bus, or USB failed otherwise. */
export interface TransferFailure {
  kind: 'timeout' | 'gone' | 'failed';
  message: string;
}

export interface TransferOutcome {
  /** The bytes moved: the whole buffer for OUT; for IN, the part of it that was filled. */
  actual: number;
  failure: TransferFailure | null;
}

/** A transfer with no timeout of libusb's own, made by the caller for its endpoint (or the control pipe). */
export type MakeTransfer = (
  callback: (error: (Error & { errno?: number }) | undefined, buffer: Buffer, actual: number) => void,
) => Transfer;

export function transferWithin(
  make: MakeTransfer,
  buffer: Buffer,
  timeoutMs: number,
): Promise<TransferOutcome> {
  return new Promise((resolve) => {
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const transfer = make((error, _buffer, actual) => {
      clearTimeout(timer);
      resolve({ actual: actual ?? 0, failure: error ? failureOf(error, cancelled) : null });
    });
    try {
      transfer.submit(buffer);
    } catch (error) {
      resolve({ actual: 0, failure: failureOf(error as Error & { errno?: number }, false) });
      return;
    }
    timer = setTimeout(
      () => {
        cancelled = transfer.cancel();
      },
      Math.max(1, Math.round(timeoutMs)),
    );
  });
}

function failureOf(error: Error & { errno?: number }, cancelled: boolean): TransferFailure {
  const { errno } = error;
  if (cancelled && errno === TRANSFER_CANCELLED) return { kind: 'timeout', message: 'timed out' };
  if (errno === TRANSFER_TIMED_OUT || errno === ERROR_TIMEOUT)
    return { kind: 'timeout', message: error.message };
  if (errno === TRANSFER_NO_DEVICE || errno === ERROR_NO_DEVICE)
    return { kind: 'gone', message: error.message };
  return { kind: 'failed', message: error.message };
}

/** The 8-byte setup packet of a control request, followed by room for what it reads. */
export function controlSetup(
  request: { requestType: number; request: number; value: number; index: number },
  length: number,
): Buffer {
  const buffer = Buffer.alloc(8 + length);
  buffer.writeUInt8(request.requestType, 0);
  buffer.writeUInt8(request.request, 1);
  buffer.writeUInt16LE(request.value, 2);
  buffer.writeUInt16LE(request.index, 4);
  buffer.writeUInt16LE(length, 6);
  return buffer;
}
