import type { Logger } from '../common/log/logger.js';
import type { Settings } from '../device/config/schema.js';
import { vippsBaseUrl } from '../device/config/schema.js';
import { VippsClient } from '../device/vipps/client.js';
import { KIOSK_WEBHOOK_EVENTS } from '../device/vipps/webhooks.js';
import { RelayPublisher } from '../hq/webhook-relay/relay-publisher.js';
import { WebhookRelay } from '../hq/webhook-relay/webhook-relay.js';

/**
 * The address the demo registers at the sandbox's Webhooks API, as a store registers its relay's public
 * https:// address at Vipps. Nothing resolves it: the sandbox is told to deliver for this host to the
 * embedded relay, which is what DNS and the TLS proxy in front of HQ's relay do in production.
 */
export const DEMO_WEBHOOK_URL = 'https://hq.demo.example/vipps/webhooks';

export interface DemoWebhooks {
  /** The embedded relay's own address (its health at `${url}/healthz`). */
  readonly url: string;
  readonly relay: WebhookRelay;
  /** Stops the relay and deletes the registration, so a long-running sandbox is not left delivering to nobody. */
  stop(): Promise<void>;
}

/**
 * The production path of a payment event, inside the demo: the sandbox signs and delivers it to an
 * embedded `webhook-relay`, which publishes it to the kiosk's broker, where the kiosk (subscribed to its
 * payment's topic) reads the payment at once instead of at its next poll. The registration goes through
 * the Webhooks API with the kiosk's own Vipps keys, as `vipps-kiosk webhooks register` does it; the secret
 * it returns goes straight to the relay instead of into a secrets file. Needs a broker in `settings`.
 */
export async function startDemoWebhooks(settings: Settings, logger: Logger): Promise<DemoWebhooks> {
  const { brokerUrl } = settings.telemetry;
  if (!brokerUrl) throw new Error('the demo relays webhooks to the kiosk through its broker; none is set');
  const msn = settings.vipps.merchantSerialNumber;
  const sandboxUrl = vippsBaseUrl(settings);
  const vipps = new VippsClient({
    baseUrl: sandboxUrl,
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: msn },
    system: settings.vipps,
    retry: settings.vipps.retry,
    timeouts: settings.vipps.timeouts,
    tokenRefreshMarginMs: settings.vipps.tokenRefreshMarginMs,
    logger: logger.child('webhooks'),
  });
  let registrationId: string | undefined;
  let relay: WebhookRelay | undefined;
  try {
    const { id, secret } = await vipps.webhooks.register(DEMO_WEBHOOK_URL, KIOSK_WEBHOOK_EVENTS);
    registrationId = id;
    const started = new WebhookRelay(
      {
        host: '127.0.0.1',
        port: 0,
        registrations: [{ msn, url: DEMO_WEBHOOK_URL, secret }],
        maxSkewMs: 300_000,
        maxBodyBytes: 65_536,
        logger: logger.child('webhook-relay'),
      },
      new RelayPublisher({
        url: brokerUrl,
        username: settings.telemetry.username,
        password: settings.secrets.telemetry.password,
        protocolVersion: settings.telemetry.protocolVersion,
        logger: logger.child('webhook-relay'),
      }),
    );
    relay = started;
    const url = await started.start();
    await routeDeliveries(sandboxUrl, new URL(DEMO_WEBHOOK_URL).host, url);
    return {
      url,
      relay: started,
      async stop() {
        await started.stop();
        await vipps.webhooks
          .delete(id)
          .catch((error: unknown) =>
            logger.warn('could not delete the demo webhook at the sandbox', { error: String(error) }),
          );
        await vipps.stop();
      },
    };
  } catch (error) {
    await relay?.stop();
    if (registrationId !== undefined) await vipps.webhooks.delete(registrationId).catch(() => {});
    await vipps.stop();
    throw error;
  }
}

/** Tells the sandbox where the registered host is answered (its stand-in for DNS and the TLS proxy). */
async function routeDeliveries(sandboxUrl: string, host: string, origin: string): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ routes: [{ host, origin }] }),
  });
  if (!response.ok)
    throw new Error(`the sandbox at ${sandboxUrl} refused the webhook route (HTTP ${response.status})`);
}
