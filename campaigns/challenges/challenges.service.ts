import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import { ChallengesRepository, toChallengeView } from './challenges.repository';
import type {
  ChallengeDetailView,
  ChallengeView,
  CreateChallengeInput,
  ListChallengesQuery,
  ParticipationView,
} from './challenges.schema';

const SHOWN_PARTICIPANTS = 100;
const SHOWN_ENTRIES = 50;

/** Brands' writing challenges: a tag to write about, a capped list of participants, a bonus. */
export class ChallengesService {
  readonly repository: ChallengesRepository;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repository = new ChallengesRepository(db);
  }

  async create(brandId: string, input: CreateChallengeInput): Promise<ChallengeView> {
    const now = this.now();
    const endsAt = new Date(input.endsAt);
    if (endsAt.getTime() <= now.getTime())
      throw AppError.invalid('parameter_invalid', 'endsAt must be in the future', 'endsAt');
    const id = newId('chl', now.getTime());
    await this.repository.insert({
      id,
      brandId,
      title: input.title,
      tag: input.tag,
      startsAt: new Date(input.startsAt),
      endsAt,
      maxParticipants: input.maxParticipants,
      bonusPoints: input.bonusPoints,
      createdAt: now,
    });
    return toChallengeView((await this.repository.find(id))!, now);
  }

  async list(query: ListChallengesQuery) {
    const now = this.now();
    const rows = await this.repository.list({
      brandId: query.brandId,
      status: query.status,
      now,
      afterId: decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, (row) => toChallengeView(row, now));
  }

  async get(id: string, viewer: AuthContext | undefined): Promise<ChallengeDetailView> {
    const row = await this.repository.find(id);
    if (!row) throw AppError.notFound('challenge');
    const [participants, entries, entryCount, mine] = await Promise.all([
      this.repository.participants(id, SHOWN_PARTICIPANTS),
      this.repository.entries(id, SHOWN_ENTRIES),
      this.repository.entryCount(id),
      viewer ? this.repository.participant(id, viewer.userId) : undefined,
    ]);
    return {
      ...toChallengeView(row, this.now()),
      participants: participants.map((p) => ({
        memberId: p.memberId,
        displayName: p.displayName,
        joinedAt: p.joinedAt.toISOString(),
        bonusEarned: p.bonusNoteId !== null,
      })),
      entries: entries.map((e) => ({
        noteId: e.noteId,
        authorId: e.authorId,
        authorName: e.authorName,
        title: e.title,
        publishedAt: e.publishedAt.toISOString(),
      })),
      entryCount,
      me: mine
        ? {
            joinedAt: mine.joinedAt.toISOString(),
            bonusEarned: mine.bonusNoteId !== null,
            bonusPoints: mine.bonusPoints,
          }
        : null,
    };
  }

  /**
   * Takes a seat, or answers the one the member has. The seat is counted by a conditional update
   * of the challenge row, in the transaction that writes the participant: past the cap the
   * update changes nothing, and the whole join is undone.
   */
  async join(member: AuthContext, id: string): Promise<ParticipationView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.repository.find(id, transaction);
      if (!row) throw AppError.notFound('challenge');
      if (row.ownerId === member.userId)
        throw AppError.forbidden('A brand cannot take part in its own challenge.', 'own_challenge');
      const now = this.now();
      const isNew = await this.repository.insertParticipant(transaction, id, member.userId, now);
      if (isNew) {
        if (now.getTime() >= row.endsAt.getTime())
          throw AppError.conflict('challenge_ended', 'The challenge has ended.');
        if (!(await this.repository.takeSeat(transaction, id)))
          throw AppError.conflict(
            'challenge_full',
            `The challenge already has its ${row.maxParticipants} participants.`,
          );
      }
      const seat = (await this.repository.participant(id, member.userId, transaction))!;
      const after = (await this.repository.find(id, transaction))!;
      return {
        challengeId: id,
        joinedAt: seat.joinedAt.toISOString(),
        participantCount: after.participantCount,
        maxParticipants: after.maxParticipants,
      };
    });
  }

  private now(): Date {
    return this.clock.now().toJSDate();
  }
}
