import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createTestContext, type TestContext } from './context.js';
import { eventually } from './eventually.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots for a human to look at (gitignored). */
export const SCREENSHOTS = new URL('../../screenshots/', import.meta.url);

export interface UiPage {
  page: Page;
  /** Dialogs the page opened (alert from injected markup would land here). */
  dialogs: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}

/**
 * The test context's app on a real port, and a headless Chromium pointed at it. Pages start
 * at the UI with a fresh cookie jar; `close()` ends browser and server.
 */
export async function startUi(t: TestContext) {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });

  async function newPage(opts: { acceptDialogs?: boolean } = {}): Promise<UiPage> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const ui: UiPage = { page, dialogs: [], errors: [] };
    page.on('dialog', (d) => {
      ui.dialogs.push(`${d.type()}: ${d.message()}`);
      // "Leave the page?" is answered yes: a test that reloads or closes means to.
      void ((opts.acceptDialogs && d.type() === 'confirm') || d.type() === 'beforeunload' ? d.accept() : d.dismiss());
    });
    page.on('pageerror', (e) => ui.errors.push(e.message));
    await page.goto('/');
    return ui;
  }

  async function close(): Promise<void> {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return { baseUrl, browser, newPage, close };
}

/** Logs in through the form and waits for the first screen after it. */
export async function loginAs(page: Page, username: string, password = 'correct horse battery'): Promise<void> {
  await page.getByLabel('Benutzername').fill(username);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('button', { name: 'Abmelden' }).waitFor();
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });

/**
 * For a browser test file: a test context on the real clock with an admin session and the UI
 * started before all tests, both closed after them. Read the fields inside tests.
 */
export function useUiContext(): { t: TestContext; ui: Awaited<ReturnType<typeof startUi>>; admin: string } {
  const ctx = {} as { t: TestContext; ui: Awaited<ReturnType<typeof startUi>>; admin: string };
  beforeAll(async () => {
    ctx.t = await createTestContext({}, { clock: systemClock });
    ctx.admin = (await ctx.t.userSession('admin')).cookie;
    ctx.ui = await startUi(ctx.t);
  });
  afterAll(async () => {
    await ctx.ui?.close();
    await ctx.t?.close();
  });
  return ctx;
}

/** "Nächster Anruf" until a case is handed out (it may become due a moment later). */
export async function pullCase(page: Page): Promise<void> {
  await eventually(async () => {
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor({ timeout: 1_000 });
    return true;
  }, 15_000, 'the case handed out');
}
