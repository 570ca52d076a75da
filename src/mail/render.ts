import { escapeHtml } from './formatting';
import type { Locale } from './locales';
import { MESSAGES, type MailKind } from './messages';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function fill(template: string, vars: Readonly<Record<string, string>>, escape: boolean): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return escape ? escapeHtml(value) : value;
  });
}

/** A mail in the recipient's language: a plain-text part and the same words as HTML. */
export function renderMail(
  kind: MailKind,
  locale: Locale,
  vars: Readonly<Record<string, string>>,
  link?: string,
): RenderedMail {
  const message = MESSAGES[kind][locale];
  const subject = fill(message.subject, vars, false);
  const lines = message.lines.map((line) => fill(line, vars, false));
  const action = link && message.action ? `${message.action}: ${link}` : link;
  const text = [...lines, ...(action ? ['', action] : []), '', '-- cyberstall', ''].join('\n');
  const paragraphs = message.lines.map((line) => `<p>${fill(line, vars, true)}</p>`);
  const button = link
    ? `<p><a href="${escapeHtml(link)}">${escapeHtml(message.action ?? link)}</a></p>`
    : '';
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${paragraphs.join('')}${button}<p>-- cyberstall</p></body></html>`;
  return { subject, text, html };
}
