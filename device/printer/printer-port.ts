// The receipt printer as the rest of the kiosk sees it: a port with one real adapter (USB, ESC/POS) and a
// demo fake, both held to the same contract suite (test/hardware/printer-contract.ts). The kiosk never
// builds bytes itself: a job is the ESC/POS bytes the encoder made from a receipt or a report.

/** What the printer last told us about itself; `offline` also when no printer is plugged in. */
export type PrinterCondition = 'ready' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline';

/** A condition the printer itself reports; `offline` is the absence of a printer. */
export type HardwareCondition = Exclude<PrinterCondition, 'offline'>;

export interface PrinterStatus {
  condition: PrinterCondition;
  /** For staff and HQ: which printer, e.g. "Epson TM-T20III (04b8:0e28)"; null when none is found. */
  model: string | null;
  /** When this status was read (ms since epoch, the kiosk's clock). */
  at: number;
}

/** A print job that did not reach the printer in full; the sale it belongs to is journaled either way. */
export class PrintError extends Error {
  constructor(
    /** Stable: `printer-offline`, `paper-out`, `cover-open`, `print-timeout`, `write-failed`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PrintError';
  }
}

export interface PrinterPort {
  /** Sends one job's bytes; resolves once the printer took all of them. One job at a time: later jobs wait. */
  print(job: Uint8Array, options?: { timeoutMs?: number }): Promise<void>;
  /** The last known status (kept current by hotplug and status polling while started). */
  status(): PrinterStatus;
  /** Called on every change of condition, including plug and unplug. Returns the unsubscribe. */
  onStatus(listener: (status: PrinterStatus) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
