import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { privateDir } from '../private-dir.js';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  attachment: { fileName: string; path: string; contentType: string };
  /** Our reference (the delivery's id): names the outbox copy, so retention finds it. */
  ref: string;
}

/** Sends a mail and answers the message id; throws with the server's answer when refused. */
export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP through nodemailer when `SMTP_URL` is set; otherwise every mail is written as an `.eml`
 * file to `DATA_DIR/outbox` (a newcomer's first run: open it in any mail program).
 */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'SMTP_REQUIRE_TLS' | 'MAIL_FROM' | 'DATA_DIR'>): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      // nodemailer upgrades with STARTTLS only when the server offers it: anyone on the way could
      // strike the offer and read the result list (and the SMTP password). A relay on this very
      // machine is exempt; an internal relay without TLS needs SMTP_REQUIRE_TLS=false.
      requireTLS: config.SMTP_REQUIRE_TLS && !LOOPBACK_HOSTS.has(new URL(config.SMTP_URL).hostname),
      // A server that does not answer is a failed try (retried later), not a job hanging for ever.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      // Ten minutes of silence, the wait RFC 5321 (4.5.3.2.6) gives the server's answer to the
      // end of the message: it may scan a large attachment first, and a try given up while it
      // does would send the mail a second time.
      socketTimeout: 600_000,
    });
    return {
      send: async (mail) => {
        const info = await transport.sendMail(message(config.MAIL_FROM, mail));
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const outbox = outboxDir(config);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    send: async (mail) => {
      const info = await transport.sendMail(message(config.MAIL_FROM, mail));
      // Customer data: readable by this service's user only (a newcomer's DATA_DIR included).
      await privateDir(outbox);
      const file = path.join(outbox, outboxFileName(new Date(), mail.ref, info.messageId));
      // Written whole or not at all: a half-written .eml is never mistaken for a sent mail.
      await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const outboxDir = (config: Pick<Config, 'DATA_DIR'>) => path.resolve(config.DATA_DIR, 'outbox');

/** `2026-11-30T10-00-00-000Z_<ref>_<message id>.eml`: sorted by time, found by our reference. */
export function outboxFileName(at: Date, ref: string, messageId: string): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}_${ref}_${messageId.replace(/[^A-Za-z0-9@.-]/g, '')}.eml`;
}

/**
 * Deletes the outbox copies of the mails with these references (delivery ids): each holds a
 * result list (customer data), so retention removes them with the list's data — also a round
 * whose message id was never recorded (a worker killed after sending). Nothing to do without an
 * outbox (SMTP).
 */
export async function removeOutboxCopies(config: Pick<Config, 'DATA_DIR'>, refs: string[]): Promise<number> {
  if (refs.length === 0) return 0;
  const names = await readdir(outboxDir(config)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const copies = names.filter((n) => refs.some((ref) => n.includes(`_${ref}_`)));
  for (const name of copies) await rm(path.join(outboxDir(config), name), { force: true });
  return copies.length;
}

function message(from: string, mail: Mail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    attachments: [{ filename: mail.attachment.fileName, path: mail.attachment.path, contentType: mail.attachment.contentType }],
  };
}
