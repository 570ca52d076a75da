export { formatAmount, formatTime } from './formatting';
export { isLocale, localeFromAcceptLanguage, LOCALES, type Locale } from './locales';
export type { MailRequest, MailService } from './mail.service';
export { deleteMailTo, readdressOutboxMail } from './outbox.repository';
