import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * For tests (and the cluster's global setup) that start redis-servers of their own: a free
 * loopback port, and one command sent to a server that may not listen yet. No vitest here, so
 * the global setup can use it too.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The answer of `command` from the server on `port`, or null while it does not answer. */
export async function askRedis<T = unknown>(port: number, ...command: string[]): Promise<T | null> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  r.on('error', () => {}); // refused until it listens
  try {
    await r.connect();
    return (await r.call(command[0]!, ...command.slice(1))) as T;
  } catch {
    return null;
  } finally {
    r.disconnect();
  }
}
