import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  /** Every accepted message, parsed. */
  mails: ParsedMail[];
  /** Answers the next `n` recipients with this SMTP error (e.g. 451 = try later, 550 = no such mailbox). */
  refuseNext(n: number, code: number, message: string): void;
  refused: number;
  close(): Promise<void>;
}

/** A real SMTP server (without STARTTLS) on a free loopback port that keeps what it receives; `host`: another loopback address than 127.0.0.1. */
export async function startSmtp(host = '127.0.0.1'): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  let refusals: { left: number; code: number; message: string } = { left: 0, code: 0, message: '' };
  const state = { refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refusals.left > 0) {
        refusals.left--;
        state.refused++;
        return callback(Object.assign(new Error(refusals.message), { responseCode: refusals.code }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${host}:${port}`,
    mails,
    refuseNext: (n, code, message) => void (refusals = { left: n, code, message }),
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
