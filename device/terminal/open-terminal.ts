import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/log/logger.js';
import { isLoopbackHost } from '../../contracts/secure-url.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import type { Market } from '../checkout/domain/market.js';
import type { Membership } from '../checkout/ports.js';
import type { Settings } from '../config/schema.js';
import type { RecoveryService } from '../journal/recovery-service.js';
import type { SqliteJournal } from '../journal/sqlite-journal.js';
import { REFUND_RETRY_MS, RefundRecovery } from '../returns/refund-recovery.js';
import type { Refunds } from '../returns/return-desk.js';
import { EnrolmentDesk } from './enrolment-desk.js';
import { PosRefunds } from './pos-refunds.js';
import { TerminalBridge } from './terminal-bridge.js';
import { terminalCertificate } from './terminal-certificate.js';
import { TerminalClub } from './terminal-club.js';
import type { TerminalDb } from './terminal-db.js';
import { TerminalServer } from './terminal-server.js';

// Attended mode as the daemon wires it (device/main.ts): the bridge to the checkout, the refunds, the
// club desk and its enrolments, and the terminal API's listener with the kiosk's certificate (none on
// 127.0.0.1). Refunds whose answer was lost are finished by the recovery the kiosk's own returns use,
// same key, same journal.

export interface OpenTerminalParts {
  settings: Pick<Settings, 'terminal' | 'stateDir' | 'device'>;
  db: TerminalDb;
  checkout: CheckoutService;
  journal: SqliteJournal;
  recovery: RecoveryService;
  refunds: Refunds;
  membership: Membership | undefined;
  market: Market;
  logger: Logger;
}

export interface OpenTerminal {
  component: Component;
  /** The terminal API's URL once started (the port is known then). */
  url(): string;
  /** SHA-256 of its certificate, null on plain HTTP (127.0.0.1). */
  fingerprint: string | null;
}

export async function openTerminal(parts: OpenTerminalParts): Promise<OpenTerminal> {
  const { settings, db, logger } = parts;
  const plain = isLoopbackHost(settings.terminal.host);
  const tls = plain ? undefined : await terminalCertificate(settings.stateDir, settings.device.id);
  const bridge = new TerminalBridge({
    checkout: parts.checkout,
    transactions: db.transactions,
    journal: parts.journal,
    market: parts.market,
    logger,
  });
  const enrolments = new EnrolmentDesk({
    membership: parts.membership,
    checkout: parts.checkout,
    enrolments: db.enrolments,
    transactions: db.transactions,
    now: Date.now,
    logger,
  });
  const refunds: PosRefunds = new PosRefunds({
    transactions: db.transactions,
    refunds: parts.journal.refunds,
    vipps: parts.refunds,
    now: Date.now,
    logger,
    onPending: () => refundRecovery.poke(),
  });
  const refundRecovery = new RefundRecovery(
    { refunds: parts.journal.refunds, vipps: parts.refunds, logger, finish: refunds.finish },
    REFUND_RETRY_MS,
  );
  const server = new TerminalServer({
    host: settings.terminal.host,
    port: settings.terminal.port,
    ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
    pairings: db.pairings,
    bridge,
    refunds,
    club: new TerminalClub(parts.membership, logger),
    enrolments,
    logger,
  });
  let url = '';
  let stopResolving: (() => void) | undefined;
  return {
    url: () => url,
    fingerprint: tls?.fingerprint ?? null,
    component: {
      name: 'terminal API',
      start: async () => {
        // Recovery settling a payment a restart left `unknown` tells the POS how it ended (heard from
        // before the bridge reads the journal, so a pass ending in between is not missed).
        stopResolving = parts.recovery.onChange(() => bridge.resolveUnknown());
        bridge.start();
        enrolments.start();
        // What a crash or a lost answer left of the POS's refunds is asked again before new calls come.
        refundRecovery.start();
        url = await server.start();
        logger.info('terminal API ready', { url, pairedPos: String(db.pairings.list().length) });
      },
      stop: async () => {
        await server.stop();
        await refundRecovery.stop();
        stopResolving?.();
        bridge.stop();
        enrolments.stop();
        db.close();
      },
    },
  };
}
