import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Each feature exposes what others may use through its own index.ts: a file of one feature
// imports another feature as its folder (`'../listings'`), never a file inside it.
const FEATURES = {
  'src/accounts': 'accounts',
  'src/coupons': 'coupons',
  'src/feed': 'feed',
  'src/finance': 'finance',
  'src/glossary': 'glossary',
  'src/listings': 'listings',
  'src/mail': 'mail',
  'src/media': 'media',
  'src/notes': 'notes',
  'src/orders': 'orders',
  'src/payments': 'payments',
  'src/points': 'points',
  'src/vault': 'vault',
  'src/webhooks': 'webhooks',
  'campaigns/drops': 'drops',
  'campaigns/offers': 'offers',
  'campaigns/challenges': 'challenges',
};
const featureBoundaries = Object.entries(FEATURES).map(([folder, own]) => {
  const others = Object.values(FEATURES).filter((name) => name !== own);
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+((src|campaigns)/)?(${others.join('|')})/.+`,
              message:
                "Import another feature through its index: '../<feature>', not a file inside it.",
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'var/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  ...featureBoundaries,
);
