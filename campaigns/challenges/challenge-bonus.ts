import type { Db, Transaction } from '../../src/db/db';
import type { PointsLedger } from '../../src/points';
import { ChallengesRepository } from './challenges.repository';

/** A note as the bonus needs it, at the moment it is published or revoked. */
export interface PublishedNote {
  noteId: string;
  authorId: string;
  /** Normalised culture tags. */
  cultureTags: string[];
  now: Date;
}

/**
 * The challenge bonus, decided when a note is published or revoked, in the note's transaction.
 * A participation earns once: the entry that earned it is written on it (bonus_note_id), and a
 * later entry earns only if that one is revoked and its bonus taken back.
 */
export class ChallengeBonus {
  private readonly repository: ChallengesRepository;

  constructor(
    db: Db,
    private readonly ledger: PointsLedger,
  ) {
    this.repository = new ChallengesRepository(db);
  }

  async notePublished(transaction: Transaction, note: PublishedNote): Promise<void> {
    const entered = await this.repository.enteredBy(
      transaction,
      note.authorId,
      note.cultureTags,
      note.now,
    );
    for (const { challengeId, bonusPoints } of entered) {
      const granted = await this.ledger.earn(
        transaction,
        {
          memberId: note.authorId,
          reason: 'challenge_bonus',
          sourceId: `${challengeId}:${note.noteId}`,
          now: note.now,
        },
        bonusPoints,
      );
      await this.repository.setBonus(transaction, challengeId, note.authorId, {
        noteId: note.noteId,
        points: granted ?? 0,
      });
    }
  }

  async noteRevoked(
    transaction: Transaction,
    note: { noteId: string; authorId: string; now: Date },
  ): Promise<void> {
    for (const earned of await this.repository.earnedBy(transaction, note.noteId)) {
      if (earned.bonusPoints > 0)
        await this.ledger.takeBack(
          transaction,
          {
            memberId: earned.memberId,
            reason: 'challenge_bonus_revoked',
            sourceId: `${earned.challengeId}:${note.noteId}`,
            now: note.now,
          },
          earned.bonusPoints,
        );
      await this.repository.setBonus(transaction, earned.challengeId, earned.memberId, {
        noteId: null,
        points: 0,
      });
    }
  }
}
