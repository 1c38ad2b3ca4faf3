import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../app.js';
import type { Runtime } from '../runtime.js';

/** Listens on PORT; resolves once listening, with the URL and a close function. */
export async function serveApi(rt: Runtime): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp({ ...rt });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: rt.config.PORT, hostname: rt.config.HOST }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : rt.config.PORT;
  const host = rt.config.HOST === '0.0.0.0' ? 'localhost' : rt.config.HOST;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
