import { randomUUID } from 'node:crypto';
import type { Services } from '../app';
import type { Clock } from '../clock';

type DemoUsers = Map<string, { id: string; brandId: string | null }>;

const MEI = 'mei@demo.cyberstall.test';
const LUCAS = 'lucas@demo.cyberstall.test';
const ANA = 'ana@demo.cyberstall.test';
const COUNTRY: Record<string, string> = { [MEI]: 'JP', [LUCAS]: 'PT', [ANA]: 'BR' };

/** Hot words and their explanations: [author, language, text, voted by]. */
const DEMO_TERMS: Array<{
  term: string;
  language: string;
  explanations: Array<[string, string, string, string[]]>;
}> = [
  {
    term: '躺平',
    language: 'zh',
    explanations: [
      [
        LUCAS,
        'en',
        '"Lying flat": choosing to do the minimum and opt out of the rat race, as a quiet protest against overwork.',
        [MEI, ANA],
      ],
      [
        ANA,
        'pt-BR',
        '"Ficar deitado": recusar a corrida por mais trabalho e mais consumo e viver com o mínimo, por escolha.',
        [LUCAS],
      ],
      [MEI, 'ja', '「寝そべり族」：競争から降りて、必要最低限で静かに暮らす生き方。', []],
    ],
  },
  {
    term: '绝绝子',
    language: 'zh',
    explanations: [
      [
        MEI,
        'en',
        'Internet slang for "absolutely amazing" (sometimes "absolutely awful"): the best of the best.',
        [ANA],
      ],
      [LUCAS, 'pt-BR', 'Gíria da internet: "incrível demais", o máximo.', []],
    ],
  },
  {
    term: '烟火气',
    language: 'zh',
    explanations: [
      [
        ANA,
        'en',
        '"Smoke and fire air": the warm, noisy feel of everyday life: street food stalls, neighbours chatting, cooking smells.',
        [MEI, LUCAS],
      ],
      [MEI, 'ja', '「生活の匂い」：屋台や台所の湯気がつくる、暮らしの温かい賑わい。', []],
    ],
  },
];

/** A note that uses the hot words, and a brand challenge with a participant's entry. */
export async function seedCommunity(services: Services, users: DemoUsers, clock: Clock) {
  const member = (email: string) => ({ userId: users.get(email)!.id, country: COUNTRY[email]! });
  for (const { term, language, explanations } of DEMO_TERMS) {
    await services.glossary.createTerm(users.get(MEI)!.id, { term, language });
    for (const [author, lang, text, votedBy] of explanations) {
      const explanation = await services.glossary.explain(member(author), term, {
        language: lang,
        text,
      });
      if (explanation.status !== 'published') continue;
      for (const voter of votedBy)
        await services.glossary.vote(users.get(voter)!.id, explanation.id);
    }
  }
  await services.notes.create(member(MEI), {
    clientId: randomUUID(),
    title: '夜市の烟火气 — a night market in Taipei',
    body: 'Steam from the dumpling stalls, people shouting orders: pure 烟火气. After a week of work I just want to 躺平 here with a bowl of beef noodles. 绝绝子!',
    languages: ['ja', 'en', 'zh'],
    cultureTags: ['night-market'],
    images: [],
    listingIds: [],
  });

  const brand = users.get('brand@demo.cyberstall.test')!;
  const challenge = await services.challenges.create(brand.brandId!, {
    title: 'Your tea ritual, in your language',
    tag: 'tea-ritual',
    startsAt: clock.now().minus({ hours: 1 }).toISO()!,
    endsAt: clock.now().plus({ days: 14 }).toISO()!,
    maxParticipants: 20,
    bonusPoints: 50,
  });
  const ana = users.get(ANA)!;
  await services.challenges.join(
    {
      ...member(ANA),
      roles: new Set(['member']),
      brandId: ana.brandId,
      timezone: 'America/Sao_Paulo',
    },
    challenge.id,
  );
  await services.notes.create(member(ANA), {
    clientId: randomUUID(),
    title: 'Chimarrão com a avó',
    body: 'Todo domingo a cuia passa de mão em mão, sempre no mesmo sentido. Every Sunday the gourd goes round the table.',
    languages: ['pt', 'en'],
    cultureTags: ['tea-ritual'],
    images: [],
    listingIds: [],
  });
  return { terms: DEMO_TERMS.length, challengeId: challenge.id };
}
