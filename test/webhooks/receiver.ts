import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  host: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  event: { reference: string; name: string; pspReference: string; msn: string };
}

/**
 * A stand-in webhook receiver for the sandbox tests: records every delivery and answers with the status
 * `answer` picks (200 unless told otherwise), so a test can make deliveries fail and watch the retries.
 */
export class Receiver {
  readonly deliveries: ReceivedDelivery[] = [];
  answer: (delivery: ReceivedDelivery, attempt: number) => number = () => 200;
  private server: Server | undefined;

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const delivery: ReceivedDelivery = {
          path: request.url ?? '',
          host: request.headers.host,
          headers: request.headers,
          body,
          event: JSON.parse(body.toString()),
        };
        this.deliveries.push(delivery);
        const attempt = this.deliveries.filter(
          (d) => d.event.pspReference === delivery.event.pspReference,
        ).length;
        response.writeHead(this.answer(delivery, attempt)).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
