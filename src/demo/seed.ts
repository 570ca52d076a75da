import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import type { Services } from '../app';
import type { Clock } from '../clock';
import { countUsers } from '../accounts';
import type { CreateListingInput } from '../listings';
import type { Logger } from '../logger';
import { seedCommunity } from './community-seed';

export const DEMO_PASSWORD = 'cyberstall-demo';

interface DemoAccount {
  email: string;
  displayName: string;
  country: string;
  timezone: string;
  accountType: 'member' | 'brand';
  brandName?: string;
  staffRole?: 'finance' | 'moderator' | 'admin';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: 'mei@demo.cyberstall.test',
    displayName: 'Mei (Kyoto)',
    country: 'JP',
    timezone: 'Asia/Tokyo',
    accountType: 'member',
  },
  {
    email: 'lucas@demo.cyberstall.test',
    displayName: 'Lucas (Lisboa)',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    accountType: 'member',
  },
  {
    email: 'ana@demo.cyberstall.test',
    displayName: 'Ana (São Paulo)',
    country: 'BR',
    timezone: 'America/Sao_Paulo',
    accountType: 'member',
  },
  {
    email: 'brand@demo.cyberstall.test',
    displayName: 'Uji Tea House',
    country: 'JP',
    timezone: 'Asia/Tokyo',
    accountType: 'brand',
    brandName: 'Uji Tea House',
  },
  {
    email: 'finance@demo.cyberstall.test',
    displayName: 'Finance',
    country: 'GB',
    timezone: 'Europe/London',
    accountType: 'member',
    staffRole: 'finance',
  },
  {
    email: 'moderator@demo.cyberstall.test',
    displayName: 'Moderator',
    country: 'SG',
    timezone: 'Asia/Singapore',
    accountType: 'member',
    staffRole: 'moderator',
  },
  {
    email: 'admin@demo.cyberstall.test',
    displayName: 'Admin',
    country: 'US',
    timezone: 'America/New_York',
    accountType: 'member',
    staffRole: 'admin',
  },
];

/** What a seller would POST to /v1/listings, and whose e-mail signs it. */
type DemoListing = CreateListingInput & { seller: string };

const DEMO_LISTINGS: DemoListing[] = [
  {
    seller: 'mei@demo.cyberstall.test',
    title: '京都の抹茶茶碗 — hand-thrown matcha bowl',
    description: '清水焼の職人が作った抹茶茶碗です。Kiyomizu ware, made in Kyoto.',
    priceAmount: 4800,
    currency: 'JPY',
    quantity: 3,
    category: 'ceramics',
    condition: 'handmade',
  },
  {
    seller: 'mei@demo.cyberstall.test',
    title: '手ぬぐい 富士山柄',
    description: 'Cotton tenugui with a Mount Fuji print.',
    priceAmount: 1200,
    currency: 'JPY',
    quantity: 12,
    category: 'textiles',
    condition: 'new',
    shipsTo: ['JP', 'KR', 'TW', 'US'],
  },
  {
    seller: 'lucas@demo.cyberstall.test',
    title: 'Azulejos pintados à mão (conjunto de 4)',
    description: 'Hand-painted Lisbon tiles, set of four.',
    priceAmount: 3500,
    currency: 'EUR',
    quantity: 5,
    category: 'ceramics',
    condition: 'handmade',
  },
  {
    seller: 'lucas@demo.cyberstall.test',
    title: 'Carteira de cortiça',
    description: 'Cork wallet from Alentejo.',
    priceAmount: 2500,
    currency: 'EUR',
    quantity: 8,
    category: 'accessories',
    condition: 'new',
  },
  {
    seller: 'ana@demo.cyberstall.test',
    title: 'Café especial do Cerrado Mineiro 500 g',
    description: 'Specialty coffee beans, natural process.',
    priceAmount: 6900,
    currency: 'BRL',
    quantity: 20,
    category: 'food',
    condition: 'new',
    shipsTo: ['BR', 'PT'],
  },
  {
    seller: 'ana@demo.cyberstall.test',
    title: 'Vintage Polaroid SX-70',
    description: 'Used, fully working, with leather case.',
    priceAmount: 18000,
    currency: 'USD',
    quantity: 1,
    category: 'cameras',
    condition: 'used',
  },
  {
    seller: 'brand@demo.cyberstall.test',
    title: '宇治玉露 限定缶 — Uji gyokuro limited tin',
    description: 'Shade-grown gyokuro from Uji, 2026 first flush.',
    priceAmount: 5400,
    currency: 'JPY',
    quantity: 100,
    category: 'tea',
    condition: 'new',
  },
];

/** Cross-cultural notes by the demo members, and who likes which. */
const DEMO_NOTES = [
  {
    author: 'mei@demo.cyberstall.test',
    title: '茶道の一期一会 — ichigo ichie at a tea ceremony',
    body: '一期一会: every tea gathering happens once. Guests turn the bowl before drinking so its front faces the host.',
    languages: ['ja', 'en'],
    cultureTags: ['sadō', 'kyoto'],
    likedBy: ['lucas@demo.cyberstall.test', 'ana@demo.cyberstall.test'],
    links: [
      '京都の抹茶茶碗 — hand-thrown matcha bowl',
      '宇治玉露 限定缶 — Uji gyokuro limited tin',
    ],
  },
  {
    author: 'lucas@demo.cyberstall.test',
    title: 'Azulejos: porque é que Lisboa é azul',
    body: 'Os azulejos azuis e brancos vieram com a moda da porcelana chinesa no século XVII. Blue and white tiles followed the fashion for Chinese porcelain.',
    languages: ['pt', 'en'],
    cultureTags: ['azulejo'],
    likedBy: ['mei@demo.cyberstall.test'],
    links: ['Azulejos pintados à mão (conjunto de 4)'],
  },
  {
    author: 'ana@demo.cyberstall.test',
    title: 'Festa junina',
    body: 'Quadrilha, pamonha e quentão: o São João no interior de Minas.',
    languages: ['pt'],
    cultureTags: [],
    likedBy: ['mei@demo.cyberstall.test', 'lucas@demo.cyberstall.test'],
    links: [],
  },
];

/** Seeds demo accounts and listings into an empty database, and says how to sign in. */
export async function seedDemoData(
  services: Services,
  db: Db,
  logger: Logger,
  clock: Clock,
): Promise<void> {
  if ((await countUsers(db)) > 0) {
    logger.info('demo seed skipped: the database already has users');
    return;
  }
  const users = new Map<string, { id: string; brandId: string | null }>();
  for (const account of DEMO_ACCOUNTS) {
    const { user } = await services.accounts.signup({ ...account, password: DEMO_PASSWORD });
    if (account.staffRole) await services.accounts.grantRole(account.email, account.staffRole);
    users.set(account.email, { id: user.id, brandId: user.brandId ?? null });
  }
  const listingIds = new Map<string, string>();
  for (const { seller, ...listing } of DEMO_LISTINGS) {
    const created = await services.listings.create(users.get(seller)!.id, listing);
    listingIds.set(listing.title, created.id);
  }

  const brand = users.get('brand@demo.cyberstall.test')!;
  const brandAuth = {
    userId: brand.id,
    brandId: brand.brandId,
    roles: new Set(['member', 'brand'] as const),
    country: 'JP',
    timezone: 'Asia/Tokyo',
  };
  const drop = await services.drops.create(brandAuth, {
    title: 'Gyokuro riddle drop',
    listingId: listingIds.get(DEMO_LISTINGS[6]!.title)!,
    stock: 20,
    startsAt: clock.now().plus({ minutes: 2 }).toISO()!,
    timezone: 'Asia/Tokyo',
    durationHours: 48,
    puzzle: {
      question: {
        en: 'Which mountain is drawn on the back of the 1000-yen note?',
        ja: '千円札の裏に描かれている山は？',
      },
      answers: ['Mount Fuji', '富士山', 'Fujisan'],
      hints: [
        {
          afterHours: 1,
          text: { en: 'It is reflected in Lake Motosu.', ja: '本栖湖に映っています。' },
        },
      ],
    },
    maxAttemptsPerUser: 10,
    perUserLimit: 1,
    reservationMinutes: 10,
  });
  const batch = await services.coupons.createBatch(brand.brandId!, {
    count: 5,
    discountType: 'percent',
    percentOff: 10,
    expiresAt: clock.now().plus({ days: 30 }).toISO()!,
  });
  await services.coupons.generateBatch(batch.id, async () => {});

  for (const { author, likedBy, links, ...note } of DEMO_NOTES) {
    const writer = users.get(author)!;
    const country = DEMO_ACCOUNTS.find((a) => a.email === author)!.country;
    const { note: created } = await services.notes.create(
      { userId: writer.id, country },
      {
        ...note,
        clientId: randomUUID(),
        images: [],
        listingIds: links.map((title) => listingIds.get(title)!),
      },
    );
    for (const liker of likedBy) await services.notes.like(users.get(liker)!.id, created.id);
  }
  await services.accounts.updateMe(users.get('mei@demo.cyberstall.test')!.id, {
    autoConvertPoints: true,
  });
  const community = await seedCommunity(services, users, clock);
  const offer = await services.offers.create(brand.brandId!, {
    title: '15% off Uji tea for 25 culture points',
    pointsCost: 25,
    coupon: { discountType: 'percent', percentOff: 15, validDays: 30 },
    budget: 100,
    perUserLimit: 2,
    startsAt: clock.now().toISO()!,
    endsAt: clock.now().plus({ days: 30 }).toISO()!,
  });

  const lines = DEMO_ACCOUNTS.map(
    (a) => `  ${a.email.padEnd(34)} ${DEMO_PASSWORD}   ${a.staffRole ?? a.accountType}`,
  );
  process.stdout.write(
    `\nDemo accounts (e-mail, password, role):\n${lines.join('\n')}\n\n` +
      `${DEMO_LISTINGS.length} listings in JPY, EUR, BRL and USD; puzzle drop ${drop.id} opens at ${drop.startsAt} ` +
      `(answer: Mount Fuji); brand coupon batch ${batch.id} (10% off Uji Tea House items, codes in its codes.csv);\n` +
      `${DEMO_NOTES.length} culture notes with likes; points offer ${offer.id} (15% off for 25 points; Mei has auto-convert on);\n` +
      `${community.terms} glossary terms with explanations; writing challenge ${community.challengeId} (tag tea-ritual).\n\n`,
  );
  logger.info(
    {
      accounts: DEMO_ACCOUNTS.length,
      listings: DEMO_LISTINGS.length,
      notes: DEMO_NOTES.length,
      dropId: drop.id,
      offerId: offer.id,
    },
    'demo data seeded',
  );
}
