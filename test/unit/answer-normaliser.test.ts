import {
  hashAnswer,
  isAnswerable,
  matchesAnswer,
  normaliseAnswer,
} from '../../campaigns/drops/answer-normaliser';

describe('normaliseAnswer', () => {
  test.each([
    ['Café au lait!', 'cafeaulait'],
    ['CAFE AU LAIT', 'cafeaulait'],
    ['Ｍａｔｃｈａ', 'matcha'],
    ['  mat-cha. ', 'matcha'],
    ['Straße', 'strasse'],
    ['ÇAY', 'cay'],
    ['São Paulo', 'saopaulo'],
    ['抹茶', '抹茶'],
    ['抹　茶！', '抹茶'],
    ['ｶﾀｶﾅ', 'カタカナ'],
    ['が', 'が'],
    ['か', 'か'],
    ['ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['١٢٣', '١٢٣'],
    ['नमस्ते', 'नमस्ते'],
    ['ﬁsh', 'fish'],
    ['🗻', '🗻'],
    [' 🗻! ', '🗻'],
    ['🍣 sushi', '🍣sushi'],
    ['👍🏽', '👍'],
    ['🇯🇵', '🇯🇵'],
    ['‼', ''],
    ['〽', ''],
    ['!!!', ''],
    ['', ''],
    ['\u{1F3FD}', ''],
    ['Fu\u200bji', 'fuji'],
    ['Fu\u00adji', 'fuji'],
    ['Fu\u2060ji', 'fuji'],
    ['\ufeffFuji', 'fuji'],
    ['🗻\ufe0f', '🗻'],
    ['\u200b\u200d', ''],
  ])('%p -> %p', (input, expected) => {
    expect(normaliseAnswer(input)).toBe(expected);
  });

  test('different emoji stay different answers', () => {
    expect(normaliseAnswer('🗻')).not.toBe(normaliseAnswer('🍣'));
    expect(normaliseAnswer('🇯🇵')).not.toBe(normaliseAnswer('🇫🇷'));
  });

  test('voiced kana stay distinct from unvoiced ones', () => {
    expect(normaliseAnswer('が')).not.toBe(normaliseAnswer('か'));
  });
});

describe('answer hashes', () => {
  const salt = 'per-drop-salt';
  const accepted = ['Mount Fuji', '富士山'].map((a) => hashAnswer(a, salt));

  test.each([
    ['mount fuji', true],
    ['MOUNT-FUJI!!', true],
    ['ｍｏｕｎｔ　ｆｕｊｉ', true],
    ['富士山', true],
    ['fuji', false],
    ['', false],
  ])('%p matches: %p', (answer, expected) => {
    expect(matchesAnswer(answer, salt, accepted)).toBe(expected);
  });

  test('another salt gives another hash', () => {
    expect(hashAnswer('matcha', 'a')).not.toBe(hashAnswer('matcha', 'b'));
  });
});

describe('answers that normalise to nothing', () => {
  const salt = 'per-drop-salt';
  const emptyHash = hashAnswer('!!!', salt);

  test.each(['', '!!!', '   ', '¿?', '🍣', '🗻'])(
    'an attempt of %p never matches an empty answer stored by an older version',
    (attempt) => {
      expect(matchesAnswer(attempt, salt, [emptyHash])).toBe(false);
    },
  );

  test('an emoji answer matches that emoji only', () => {
    const accepted = [hashAnswer('🗻', salt)];
    expect(matchesAnswer('🗻', salt, accepted)).toBe(true);
    for (const other of ['', '!!!', '🍣', '🗻🗻'])
      expect(matchesAnswer(other, salt, accepted)).toBe(false);
  });

  test.each([
    ['!!!', false],
    ['🗻', true],
    ['a', true],
    [' - ', false],
  ])('isAnswerable(%p) is %p', (answer, expected) => {
    expect(isAnswerable(answer)).toBe(expected);
  });
});
