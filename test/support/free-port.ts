import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A loopback port free at the moment of asking, for a process the test starts that must be told its port
 * beforehand (a broker, a database, a daemon's second listener). Another process may take it before ours
 * does; the tests that use it start at once.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no loopback port to be had');
  return address.port;
}
