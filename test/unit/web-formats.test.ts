import { countryName, countryOptions } from '../../web/app/format/countries';
import { safeNext } from '../../web/app/auth/next';
import { formatMoney, fractionDigits, toMinorUnits } from '../../web/app/format/money';
import { negotiateLanguage } from '../../web/app/i18n/languages';
import { pickText } from '../../web/app/i18n/pick-text';

describe('negotiateLanguage (Accept-Language, RFC 9110 q-values)', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.5', 'zh-Hans'],
    ['zh-TW', 'zh-Hans'],
    ['fr-FR, ja;q=0.8, en;q=0.7', 'ja'],
    ['en;q=0.4, pt-BR;q=0.9', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['de, fr;q=0.5', 'en'],
    ['ja;q=0, en', 'en'],
    ['ja;q=abc, pt', 'pt-BR'],
    ['*', 'en'],
  ])('%s -> %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

describe('money in minor units, with the currency’s own digits', () => {
  test.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['BHD', 3],
    ['KRW', 0],
  ])('%s has %i fraction digits', (currency, digits) => {
    expect(fractionDigits(currency)).toBe(digits);
  });

  test.each([
    [4800, 'JPY', 'en-US', '¥4,800'],
    [1999, 'USD', 'en-US', '$19.99'],
    [1250, 'EUR', 'pt-BR', '€\u00a012,50'],
    [1234, 'BHD', 'en-US', 'BHD\u00a01.234'],
  ])('%i %s in %s is %s', (amount, currency, locale, text) => {
    expect(formatMoney(amount, currency, locale)).toBe(text);
  });

  test.each([
    ['19.99', 'USD', 1999],
    ['19,9', 'EUR', 1990],
    ['500', 'JPY', 500],
    ['5', 'USD', 500],
    ['1.5', 'JPY', undefined],
    ['19.999', 'USD', undefined],
    ['-3', 'USD', undefined],
    ['1e3', 'USD', undefined],
    ['', 'USD', undefined],
  ])('typed %s in %s is %s minor units', (text, currency, minor) => {
    expect(toMinorUnits(text, currency)).toBe(minor);
  });
});

describe('safeNext keeps redirects on this site', () => {
  test.each([
    ['/checkout?listingId=lst_1', '/checkout?listingId=lst_1'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [null, '/'],
  ])('%s -> %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('pickText: the viewer’s language, else its other variant, else English, else any', () => {
  test.each([
    [{ en: 'E', ja: 'J' }, 'ja', 'ja'],
    [{ en: 'E', zh: 'Z' }, 'zh-Hans', 'zh'],
    [{ en: 'E', pt: 'P' }, 'pt-BR', 'pt'],
    [{ en: 'E', ja: 'J' }, 'pt-BR', 'en'],
    [{ ja: 'J' }, 'en', 'ja'],
  ])('%j in %s is in %s', (texts, language, chosen) => {
    expect(pickText(texts, language)?.language).toBe(chosen);
  });
  test('nothing to pick', () => expect(pickText({}, 'en')).toBeUndefined());
});

describe('country names are the same on the server and in the browser', () => {
  // Node 24's ICU and Chromium 156's word these four differently; a page whose <option>s differ
  // is thrown away at hydration, with whatever the visitor had typed.
  test.each([
    ['en', 'HK', 'Hong Kong'],
    ['pt-BR', 'FK', 'Ilhas Malvinas'],
    ['ja', 'MO', 'マカオ'],
    ['zh-Hans', 'PS', '巴勒斯坦'],
  ])('%s %s is %s, in the list and alone', (locale, code, name) => {
    expect(countryName(code, locale)).toBe(name);
    expect(countryOptions(locale).find((c) => c.code === code)?.name).toBe(name);
  });
});
