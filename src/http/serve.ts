import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../app.js';
import type { Runtime } from '../runtime.js';

/**
 * How long an idle keep-alive connection stays open: longer than a load balancer's idle timeout
 * (AWS ALB, nginx: 60 s), so the balancer closes it first. With Node's 5 s it sent a request on
 * a connection Node was closing, and the agent got a 502.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Listens on PORT; resolves once listening, with the URL and a close function. */
export async function serveApi(rt: Runtime): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp({ ...rt });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: rt.config.PORT, hostname: rt.config.HOST }, () => resolve(s));
  });
  (server as Server).keepAliveTimeout = KEEP_ALIVE_MS;
  // Above the keep-alive time, as Node requires for it to take effect.
  (server as Server).headersTimeout = KEEP_ALIVE_MS + 1_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : rt.config.PORT;
  const host = rt.config.HOST === '0.0.0.0' ? 'localhost' : rt.config.HOST;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
