import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/** A workers process without SMTP_URL writes result lists to its outbox: it says so at start. */
const contexts: TestContext[] = [];
afterAll(() => Promise.all(contexts.map((t) => t.close())));

async function startedWith(env: Record<string, string>): Promise<string> {
  let logged = '';
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => void ((logged += chunk.toString()), cb()) });
  const t = await createTestContext(env, { clock: systemClock, log: createLogger('info', 'test', sink) });
  contexts.push(t);
  await t.runWorkers();
  return logged;
}

describe('the workers at start', () => {
  it('warn that result lists go to the outbox when SMTP_URL is not set, and not when it is', async () => {
    const without = await startedWith({});
    expect(without.split('\n').find((l) => l.includes('SMTP_URL not set'))).toMatch(/"level":40.*"outbox":".*\/outbox"/);
    expect(await startedWith({ SMTP_URL: 'smtp://127.0.0.1:2525' })).not.toContain('SMTP_URL not set');
  });
});
