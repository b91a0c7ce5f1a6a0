import type { Logger } from '../common/log/logger.js';
import type { Settings } from '../device/config/schema.js';
import { vippsBaseUrl } from '../device/config/schema.js';
import { VippsClient } from '../device/vipps/client.js';
import { KIOSK_WEBHOOK_EVENTS } from '../device/vipps/webhooks.js';
import { RelayPublisher } from '../hq/webhook-relay/relay-publisher.js';
import { WebhookRelay } from '../hq/webhook-relay/webhook-relay.js';

/**
 * The address a demo kiosk registers at the sandbox's Webhooks API, as a store registers its relay's
 * public https:// address at Vipps. Nothing resolves it: the sandbox is told to deliver for this host to
 * the embedded relay, which is what DNS and the TLS proxy in front of HQ's relay do in production. One
 * host per kiosk id, so demos sharing one sandbox (`--sandbox-url`) each keep their own relay.
 */
export function demoWebhookUrl(deviceId: string): string {
  return `https://${deviceId.toLowerCase()}.hq.demo.example/vipps/webhooks`;
}

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
  const hookUrl = demoWebhookUrl(settings.device.id);
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
    // A demo of this kiosk that was killed left its registration behind; its relay is gone with it. Replaced,
    // so restarts never reach the 25 registrations per event type a sales unit may have.
    for (const earlier of await vipps.webhooks.list())
      if (earlier.url === hookUrl) await vipps.webhooks.delete(earlier.id);
    const { id, secret } = await vipps.webhooks.register(hookUrl, KIOSK_WEBHOOK_EVENTS);
    registrationId = id;
    const started = new WebhookRelay(
      {
        host: '127.0.0.1',
        port: 0,
        registrations: [{ msn, url: hookUrl, secret }],
        maxSkewMs: 300_000,
        maxBodyBytes: 65_536,
        logger: logger.child('webhook-relay'),
      },
      new RelayPublisher({
        url: brokerUrl,
        username: settings.telemetry.username,
        password: settings.secrets.telemetry.password,
        logger: logger.child('webhook-relay'),
      }),
    );
    relay = started;
    const url = await started.start();
    await routeDeliveries(sandboxUrl, new URL(hookUrl).host, url);
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
