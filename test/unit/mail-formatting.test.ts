import { formatAmount, formatTime } from '../../src/mail/formatting';
import { localeFromAcceptLanguage } from '../../src/mail/locales';
import { renderMail } from '../../src/mail/render';

describe('the language of a new account', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['fr-FR, pt-PT;q=0.8', 'pt-BR'],
    ['zh-CN', 'zh-Hans'],
    ['zh-Hans-TW', 'zh-Hans'],
    ['de, en-GB;q=0.5, ja;q=0.7', 'ja'],
    ['ja;q=0, en', 'en'],
    ['klingon', 'en'],
  ])('Accept-Language %p -> %p', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

describe('amounts in the order currency, with its minor unit', () => {
  test.each([
    [1999, 'USD', 'en', '$19.99'],
    [500, 'JPY', 'ja', '￥500'],
    [1234, 'KWD', 'en', 'KWD 1.234'],
    [123456, 'BRL', 'pt-BR', 'R$ 1.234,56'],
  ] as const)('%p %p in %p', (amount, currency, locale, shown) => {
    expect(formatAmount(amount, currency, locale).replace(/\s/g, ' ')).toBe(shown);
  });
});

test('times are shown in the recipient zone', () => {
  const at = new Date('2026-12-01T03:00:00Z');
  expect(formatTime(at, 'Asia/Tokyo', 'ja')).toContain('12:00');
  expect(formatTime(at, 'Asia/Tokyo', 'ja')).toContain('JST');
  expect(formatTime(at, 'America/Sao_Paulo', 'pt-BR')).toContain('00:00');
});

test('HTML parts escape what members wrote; text parts keep it as written', () => {
  const mail = renderMail('order-shipped', 'en', {
    name: '<b>Ana</b>',
    orderId: 'ord_1',
    title: 'Tea & "cups"',
    shippedAt: 'today',
    carrier: 'Yamato',
    trackingNumber: '1',
  });
  expect(mail.text).toContain('"Tea & "cups"" was shipped');
  expect(mail.html).toContain('&lt;b&gt;Ana&lt;/b&gt;');
  expect(mail.html).not.toContain('<b>Ana');
});
