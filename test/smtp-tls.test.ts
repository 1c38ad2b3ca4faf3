import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mail } from '../src/delivery/mailer.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';

/** Result lists are customer data: not sent in plain text to another host unless the operator says so. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-smtp-tls-'));
const attachment = path.join(dir, 'Ergebnisliste.xlsx');
writeFileSync(attachment, 'not really a workbook');
const mail: Mail = { to: 'buchhaltung@mandant.example', subject: 'Ergebnisliste', text: 'Anbei.', ref: 'tls-test', attachment: { fileName: 'Ergebnisliste.xlsx', path: attachment, contentType: 'application/octet-stream' } };
const MAIL_FROM = 'Mahnanrufe <mahn@callcenter.example>';

// Another address than 127.0.0.1 stands for a mail server elsewhere (Linux routes all of 127/8 to lo).
let elsewhere: TestSmtp;
let local: TestSmtp;
beforeAll(async () => {
  elsewhere = await startSmtp('127.0.0.2');
  local = await startSmtp();
});
afterAll(async () => {
  await elsewhere.close();
  await local.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SMTP without STARTTLS', () => {
  it('is refused for a server elsewhere: nothing is sent', async () => {
    const mailer = createMailer({ SMTP_URL: elsewhere.url, SMTP_REQUIRE_TLS: true, MAIL_FROM, DATA_DIR: dir });
    try {
      await expect(mailer.send(mail)).rejects.toThrow(/STARTTLS/i);
      expect(elsewhere.mails).toHaveLength(0);
    } finally {
      mailer.close();
    }
  });

  it('is used when the operator allows it (SMTP_REQUIRE_TLS=false), and for a relay on this machine', async () => {
    for (const [url, server] of [[elsewhere.url, elsewhere], [local.url, local]] as const) {
      const mailer = createMailer({ SMTP_URL: url, SMTP_REQUIRE_TLS: server === local, MAIL_FROM, DATA_DIR: dir });
      try {
        expect((await mailer.send(mail)).messageId).toBeTruthy();
        expect(server.mails.at(-1)?.subject).toBe('Ergebnisliste');
      } finally {
        mailer.close();
      }
    }
  });
});
