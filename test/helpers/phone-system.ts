import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the stand-in answers: a status, or `hang` (never answers: a phone system that is too slow). */
export type Answer = { status: number; body?: string } | 'hang';

/**
 * A real HTTP server standing in for a phone system (a click-to-dial endpoint or Asterisk ARI):
 * it records every request and answers as `answer` says.
 */
export async function startPhoneSystem(answer: (req: SeenRequest) => Answer = () => ({ status: 200, body: '{}' })) {
  const seen: SeenRequest[] = [];
  let current = answer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      const a = current(r);
      if (a === 'hang') return; // the socket stays open until the client gives up
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answerWith(next: (req: SeenRequest) => Answer) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (a phone system that is down): bound once, then released. */
export async function closedPort(): Promise<string> {
  const s = await startPhoneSystem();
  await s.close();
  return s.url;
}
