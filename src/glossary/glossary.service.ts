import type { Db } from '../db/db';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import type { AuthContext } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import {
  needsReview,
  normaliseTag,
  type ModerationPolicies,
  type ModeratorRegions,
} from '../notes';
import { noteAward, type PointsLedger } from '../points';
import {
  GlossaryRepository,
  toExplanationView,
  toTermView,
  type ExplanationRow,
} from './glossary.repository';
import type {
  CreateExplanationInput,
  CreateTermInput,
  ExplanationStatus,
  ExplanationView,
  ListTermsQuery,
  TermDetailView,
  TermView,
  VoteView,
} from './glossary.schema';
import { termKey } from './term-key';

export interface GlossarySettings {
  notePoints: number;
  /** The cultural buffer's policy, read by every explanation as it is written (as notes read it). */
  moderation: ModerationPolicies;
  /** Which authors' countries each moderator decides for (as for notes). */
  regions: ModeratorRegions;
}

/**
 * The glossary of untranslated hot words. Explanations pass the cultural buffer as notes do
 * (the author's country, or the term as a moderated tag) and, once published, earn their author
 * what a cross-cultural note earns, once.
 */
export class GlossaryService {
  readonly repository: GlossaryRepository;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ledger: PointsLedger,
    private readonly settings: GlossarySettings,
  ) {
    this.repository = new GlossaryRepository(db);
  }

  async createTerm(memberId: string, input: CreateTermInput): Promise<TermView> {
    const key = termKey(input.term);
    const now = this.now();
    return this.db.transaction(async (transaction) => {
      const created = await this.repository.insertTerm(transaction, {
        id: newId('gtm', now.getTime()),
        term: input.term,
        key,
        language: input.language,
        createdBy: memberId,
        now,
      });
      const row = (await this.repository.findTerm(key, transaction))!;
      if (!created)
        throw AppError.conflict(
          'term_exists',
          `The glossary already has this term, as "${row.term}".`,
          'term',
        );
      return toTermView(row);
    });
  }

  async listTerms(query: ListTermsQuery) {
    const part = query.q ? termKey(query.q) : null;
    // A q with nothing to match (only spaces or punctuation) finds nothing, not everything.
    if (query.q && !part) return { data: [], nextCursor: null };
    const rows = await this.repository.listTerms(part, decodeCursor(query.cursor), query.limit + 1);
    return pageOf(rows, query.limit, toTermView);
  }

  async getTerm(term: string, viewer: AuthContext | undefined): Promise<TermDetailView> {
    const row = await this.repository.findTerm(termKey(term));
    if (!row) throw AppError.notFound('glossary term');
    const explanations = await this.repository.explanationsOf(row.id, viewer?.userId ?? null);
    const voted = viewer
      ? await this.repository.votedBy(
          viewer.userId,
          explanations.map((e) => e.id),
        )
      : new Set<string>();
    return {
      ...toTermView(row),
      explanations: explanations.map((e) => toExplanationView(e, voted.has(e.id))),
    };
  }

  /** Published at once and earning, or held for a moderator; one open per author, term and language. */
  async explain(
    author: Pick<AuthContext, 'userId' | 'country'>,
    term: string,
    input: CreateExplanationInput,
  ): Promise<ExplanationView> {
    return this.db.transaction(async (transaction) => {
      // The term's row orders its explanations: two of one author cannot both pass the check.
      const termRow = await this.repository.findTerm(termKey(term), transaction);
      if (!termRow) throw AppError.notFound('glossary term');
      if (
        await this.repository.findOpenExplanation(
          transaction,
          termRow.id,
          author.userId,
          input.language,
        )
      )
        throw AppError.conflict(
          'explanation_exists',
          `You have already explained this term in ${input.language}.`,
          'language',
        );
      const policy = await this.settings.moderation.current(transaction);
      const status: ExplanationStatus = needsReview(policy, author.country, [
        normaliseTag(termRow.term),
      ])
        ? 'pending_review'
        : 'published';
      const id = newId('gex', this.now().getTime());
      await this.repository.insertExplanation(transaction, {
        id,
        termId: termRow.id,
        authorId: author.userId,
        language: input.language,
        text: input.text,
        status,
        now: this.now(),
      });
      const row = (await this.repository.findExplanation(id, transaction))!;
      if (status === 'published') await this.publish(transaction, row);
      return toExplanationView((await this.repository.findExplanation(id, transaction))!, false);
    });
  }

  /** Counts the explanation on its term and pays its author, once per explanation, ever. */
  private async publish(transaction: Tx, row: ExplanationRow): Promise<void> {
    await this.repository.changePublishedCount(transaction, row.termId, 1);
    const granted = await this.ledger.earn(
      transaction,
      {
        memberId: row.authorId,
        reason: 'glossary_explanation',
        sourceId: row.id,
        now: this.now(),
      },
      noteAward(this.settings.notePoints, true),
    );
    if (granted) await this.repository.setPointsAwarded(transaction, row.id, granted);
  }

  /** A moderator with regions sees only explanations by authors from those countries. */
  async listForModeration(
    viewer: AuthContext,
    status: ExplanationStatus,
    cursor: string | undefined,
    limit: number,
  ) {
    const rows = await this.repository.listForModeration({
      status,
      authorCountries: await this.settings.regions.scopeOf(viewer),
      afterId: decodeCursor(cursor),
      limit: limit + 1,
    });
    return pageOf(rows, limit, (row) => toExplanationView(row, false));
  }

  /** The explanations waiting in the buffer now (/metrics), in every region. */
  backlog() {
    return this.repository.pendingBacklog();
  }

  /** pending_review -> published: the explanation is shown and earns. */
  async approve(moderator: AuthContext, id: string): Promise<ExplanationView> {
    const moderatorId = moderator.userId;
    const regions = await this.settings.regions.scopeOf(moderator);
    return this.db.transaction(async (transaction) => {
      const row = await this.repository.findExplanation(id, transaction);
      if (!row) throw AppError.notFound('glossary explanation');
      await this.settings.regions.checkAuthor(regions, row.authorId, 'explanation');
      if (row.status !== 'pending_review')
        throw AppError.conflict(
          'explanation_not_pending',
          `The explanation is ${row.status}, not pending review.`,
        );
      const now = this.now();
      await this.repository.setStatus(transaction, id, { status: 'published', now, moderatorId });
      await this.publish(transaction, row);
      return toExplanationView((await this.repository.findExplanation(id, transaction))!, false);
    });
  }

  /** pending_review or published -> rejected; what it earned is taken back. */
  async reject(moderator: AuthContext, id: string, reason: string): Promise<ExplanationView> {
    const moderatorId = moderator.userId;
    const regions = await this.settings.regions.scopeOf(moderator);
    return this.db.transaction(async (transaction) => {
      const row = await this.repository.findExplanation(id, transaction);
      if (!row) throw AppError.notFound('glossary explanation');
      await this.settings.regions.checkAuthor(regions, row.authorId, 'explanation');
      if (row.status === 'rejected')
        throw AppError.conflict(
          'explanation_already_rejected',
          'The explanation is already rejected.',
        );
      const now = this.now();
      await this.repository.setStatus(transaction, id, {
        status: 'rejected',
        now,
        moderatorId,
        rejectReason: reason,
      });
      if (row.status === 'published') {
        await this.repository.changePublishedCount(transaction, row.termId, -1);
        if (row.pointsAwarded > 0) {
          await this.ledger.takeBack(
            transaction,
            { memberId: row.authorId, reason: 'glossary_revoked', sourceId: row.id, now },
            row.pointsAwarded,
          );
          await this.repository.setPointsAwarded(transaction, row.id, 0);
        }
      }
      return toExplanationView((await this.repository.findExplanation(id, transaction))!, false);
    });
  }

  /** One vote per member per explanation, never for one's own; voting again changes nothing. */
  async vote(memberId: string, explanationId: string): Promise<VoteView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.votable(transaction, memberId, explanationId);
      const isNew = await this.repository.insertVote(
        transaction,
        explanationId,
        memberId,
        this.now(),
      );
      if (isNew) await this.repository.addVotes(transaction, explanationId, 1);
      return { explanationId, voted: true, voteCount: row.voteCount + (isNew ? 1 : 0) };
    });
  }

  async unvote(memberId: string, explanationId: string): Promise<VoteView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.votable(transaction, memberId, explanationId);
      const removed = await this.repository.deleteVote(transaction, explanationId, memberId);
      if (removed) await this.repository.addVotes(transaction, explanationId, -1);
      return { explanationId, voted: false, voteCount: row.voteCount - (removed ? 1 : 0) };
    });
  }

  private async votable(transaction: Tx, memberId: string, explanationId: string) {
    const row = await this.repository.findExplanation(explanationId, transaction);
    if (!row || (row.status !== 'published' && row.authorId !== memberId))
      throw AppError.notFound('glossary explanation');
    if (row.authorId === memberId)
      throw AppError.forbidden('You cannot vote for your own explanation.', 'own_explanation');
    return row;
  }

  private now(): Date {
    return this.clock.now().toJSDate();
  }
}
