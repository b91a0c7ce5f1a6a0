import { request } from 'undici';
import { packageVersion } from '../../common/package-root.js';

// A small client for the Report API's settlement reads (../shared/vipps-openapi/vippsas__vipps-report-api@
// 98d741f/): the ledgers the sales unit's keys may read, and one ledger date's funds, every page of it.
// HQ runs it once per reconciliation, so one access token per run is enough: no cache, no refresh.

export interface VippsKeys {
  /** https://api.vipps.no, https://apitest.vipps.no, or the sandbox's URL. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
}

export interface Ledger {
  ledgerId: string;
  currency: string;
  settlesForRecipientHandles: string[];
}

export interface FundsEntry {
  pspReference: string;
  time: string;
  ledgerDate?: string;
  entryType: string;
  reference: string;
  currency: string;
  amount: number;
  recipientHandle?: string;
}

/** Vipps said no, or did not answer as documented: what, and the trace id to quote to Vipps. */
export class ReportApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly traceId: string | null,
  ) {
    super(message);
    this.name = 'ReportApiError';
  }
}

const SYSTEM_HEADERS = {
  'Vipps-System-Name': 'vipps-kiosk',
  'Vipps-System-Version': packageVersion(),
  'Vipps-System-Plugin-Name': 'vipps-kiosk-hq',
  'Vipps-System-Plugin-Version': packageVersion(),
};

export class ReportApi {
  private token: Promise<string> | undefined;

  constructor(private readonly keys: VippsKeys) {}

  /** The ledgers that settle for this sales unit (`api:<MSN>`). */
  async ledgers(): Promise<Ledger[]> {
    const handle = `api:${this.keys.merchantSerialNumber}`;
    const items: Ledger[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ settlesForRecipientHandles: handle });
      if (cursor) query.set('cursor', cursor);
      const page = (await this.get(`/settlement/v1/ledgers?${query}`)) as {
        cursor?: string;
        items?: Ledger[];
      };
      items.push(...(page.items ?? []));
      cursor = page.cursor || undefined;
    } while (cursor);
    return items;
  }

  /**
   * Every funds entry of a ledger date, or `null` while Vipps has not closed that date yet (the guide: poll
   * again later; a 404 means the same).
   */
  async fundsOn(ledgerId: string, date: string): Promise<FundsEntry[] | null> {
    const items: FundsEntry[] = [];
    let cursor: string | undefined;
    do {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = (await this.get(
        `/report/v2/ledgers/${encodeURIComponent(ledgerId)}/funds/dates/${date}${query}`,
        { notYet: true },
      )) as { cursor?: string; hasMore?: boolean; tryLater?: boolean; items?: FundsEntry[] } | null;
      if (page === null || page.tryLater) return null;
      items.push(...(page.items ?? []));
      cursor = page.hasMore ? page.cursor : undefined;
    } while (cursor);
    return items;
  }

  private async get(path: string, options: { notYet?: boolean } = {}): Promise<unknown> {
    const response = await request(new URL(path, this.keys.baseUrl), {
      headers: {
        Authorization: `Bearer ${await this.accessToken()}`,
        'Ocp-Apim-Subscription-Key': this.keys.subscriptionKey,
        'Merchant-Serial-Number': this.keys.merchantSerialNumber,
        ...SYSTEM_HEADERS,
      },
    });
    if (response.statusCode === 404 && options.notYet) {
      await response.body.dump();
      return null;
    }
    return answerOf(`GET ${path.split('?')[0]}`, response);
  }

  private accessToken(): Promise<string> {
    this.token ??= (async () => {
      const response = await request(new URL('/accesstoken/get', this.keys.baseUrl), {
        method: 'POST',
        headers: {
          client_id: this.keys.clientId,
          client_secret: this.keys.clientSecret,
          'Ocp-Apim-Subscription-Key': this.keys.subscriptionKey,
          'Merchant-Serial-Number': this.keys.merchantSerialNumber,
          ...SYSTEM_HEADERS,
        },
      });
      const body = (await answerOf('the access token', response)) as { access_token?: unknown };
      if (typeof body.access_token !== 'string') {
        throw new ReportApiError('Vipps answered the access token request without a token', 200, null);
      }
      return body.access_token;
    })();
    return this.token;
  }
}

async function answerOf(what: string, response: Awaited<ReturnType<typeof request>>): Promise<unknown> {
  const text = await response.body.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return body;
  const problem = (body ?? {}) as { title?: unknown; detail?: unknown; traceId?: unknown };
  const said = [problem.title, problem.detail].filter((part) => typeof part === 'string').join(': ');
  const hint =
    response.statusCode === 401 || response.statusCode === 403
      ? ' (check the sales unit keys, and that they have access to the Report API)'
      : '';
  throw new ReportApiError(
    `Vipps refused ${what} with ${response.statusCode}${said ? ` ${said}` : ''}${hint}`,
    response.statusCode,
    typeof problem.traceId === 'string' ? problem.traceId : null,
  );
}
