import type { SendMailOptions, Transporter } from 'nodemailer';

/** Where the mail service sends a message: the SMTP transport of `SMTP_URL`. */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

/**
 * An SMTP transport from `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://...` for TLS),
 * made with the first message: a process without mail to send never loads nodemailer.
 */
export function createMailTransport(smtpUrl: string): MailTransport {
  let transport: Promise<Transporter> | undefined;
  return {
    async sendMail(message) {
      transport ??= import('nodemailer').then((nodemailer) => nodemailer.createTransport(smtpUrl));
      return (await transport).sendMail(message);
    },
  };
}
