// The Report API's settlement reads (its OpenAPI document and guide in
// ../shared/vipps-openapi/vippsas__vipps-report-api@98d741f/): the ledgers the keys may read, a ledger
// date's complete report, and the continuous feed, each paged with an opaque cursor. The entries come
// from ledgers.ts, so what the sandbox captured and refunded is what it settles.

import { authorizeCall } from './auth.js';
import type { SandboxContext } from './context.js';
import { decodePathSegment, json, type Reply, type SandboxRequest } from './http.js';
import { closesAt, type LedgerEntry, ledgerBook, ledgerOf } from './ledgers.js';
import { invalidRequest, ProblemError, renderProblem } from './problem.js';

/** The guide: "There will be up to 1000 items returned in each request." */
export const REPORT_PAGE_SIZE = 1000;

const LEDGERS = /^\/settlement\/v1\/ledgers$/;
const BY_DATE = /^\/report\/v2\/ledgers\/([^/]+)\/(funds|fees)\/dates\/([^/]+)$/;
const FEED = /^\/report\/v2\/ledgers\/([^/]+)\/(funds|fees)\/feed$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function serveReportApi(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  if (request.method !== 'GET') return undefined;
  const byDate = BY_DATE.exec(request.path);
  const feed = byDate === null ? FEED.exec(request.path) : null;
  if (!LEDGERS.test(request.path) && byDate === null && feed === null) return undefined;
  authorizeCall(context, request);
  try {
    if (byDate !== null) return reportByDate(context, request, byDate);
    if (feed !== null) return reportFeed(context, request, feed);
    return listLedgers(context, request);
  } catch (error) {
    if (error instanceof ProblemError) return renderProblem(error, request.path);
    throw error;
  }
}

function listLedgers(context: SandboxContext, request: SandboxRequest): Reply {
  const handle = request.query.get('settlesForRecipientHandles');
  const items = context.salesUnits
    .list()
    .map(ledgerOf)
    .filter((ledger) => handle === null || ledger.settlesForRecipientHandles.includes(handle))
    .map(({ salesUnit: _unit, ...ledger }) => ledger);
  return json(200, { items });
}

function ledgerFor(context: SandboxContext, ledgerId: string) {
  const unit = context.salesUnits.list().find((candidate) => ledgerOf(candidate).ledgerId === ledgerId);
  if (unit === undefined) {
    throw new ProblemError(404, 'Ledger not found', `No ledger ${ledgerId} is readable with these keys.`);
  }
  return ledgerOf(unit);
}

function entries(context: SandboxContext, ledgerId: string, topic: string): LedgerEntry[] {
  const book = ledgerBook(context.payments.list(), ledgerFor(context, ledgerId), context.clock.now());
  return topic === 'fees' ? book.fees : book.funds;
}

function reportByDate(context: SandboxContext, request: SandboxRequest, match: RegExpExecArray): Reply {
  const ledgerId = decodePathSegment(match[1] ?? '');
  const topic = match[2] ?? 'funds';
  const date = decodePathSegment(match[3] ?? '');
  if (!DATE.test(date) || Number.isNaN(Date.parse(date))) {
    throw invalidRequest([{ field: 'ledgerDate', reason: 'must be a date in format YYYY-MM-DD' }]);
  }
  const ledger = ledgerFor(context, ledgerId);
  // The guide: no data until the whole ledger date is complete; try the same request later.
  if (closesAt(date, ledger.salesUnit.market) > context.clock.now()) {
    return json(200, { items: [], tryLater: true });
  }
  const all = entries(context, ledgerId, topic).filter((entry) => entry.ledgerDate === date);
  const offset = readCursor(request);
  const items = all.slice(offset, offset + REPORT_PAGE_SIZE);
  const hasMore = offset + items.length < all.length;
  return json(200, {
    ...(hasMore ? { cursor: cursorOf(offset + items.length) } : {}),
    hasMore,
    tryLater: false,
    items,
  });
}

function reportFeed(context: SandboxContext, request: SandboxRequest, match: RegExpExecArray): Reply {
  const ledgerId = decodePathSegment(match[1] ?? '');
  const all = entries(context, ledgerId, match[2] ?? 'funds');
  const offset = readCursor(request);
  const items = all.slice(offset, offset + REPORT_PAGE_SIZE);
  // The feed's cursor never runs out: at the end it comes back unchanged with tryLater.
  return json(200, {
    cursor: cursorOf(offset + items.length),
    tryLater: offset + items.length >= all.length,
    items,
  });
}

function cursorOf(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function readCursor(request: SandboxRequest): number {
  const cursor = request.query.get('cursor');
  if (cursor === null || cursor === '') return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the same answer as a well-formed cursor the sandbox never handed out.
  }
  throw invalidRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
}
