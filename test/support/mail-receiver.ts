import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server on a free local port that keeps every mail it accepts, parsed: the inbox of
 * tests that send real mail through the service's SMTP transport.
 */
export class MailReceiver {
  readonly received: ParsedMail[] = [];
  /** A subject whose next delivery is refused once with a 451 (a passing SMTP failure). */
  refuseOnce: string | null = null;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          if (this.refuseOnce !== null && mail.subject === this.refuseOnce) {
            this.refuseOnce = null;
            return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          }
          this.received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  /** Listens, and answers the SMTP_URL that reaches it. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
