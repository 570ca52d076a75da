import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import { GroupCommit } from '../../src/db/group-commit';
import { AppError } from '../../src/http/app-error';
import { newId } from '../../src/ids';
import type { Logger } from '../../src/logger';
import { matchesAnswer } from './answer-normaliser';
import type { DropSchedule } from './drop-schedule';
import type { DropState } from './drop-state';
import { DropReservationsRepository, type NewReservation } from './drop-reservations.repository';
import type { DropsRepository } from './drops.repository';
import { hashToken, purchaseUrl } from './reservation-token';

interface DropConfig {
  ownerId: string;
  salt: string;
  answerHashes: string[];
  maxAttemptsPerUser: number;
  perUserLimit: number;
  reservationSeconds: number;
}

/** How long an API process trusts its copy of a drop's puzzle; the live/stock checks are always in Redis. */
const CONFIG_TTL_MS = 2000;

/** A batch of reservations that may or may not have been committed. */
class UnknownOutcome extends Error {
  constructor(cause: unknown) {
    super("the reservations' transaction ended without a known outcome", { cause });
  }
}

/** The hot path: a member's answer checked, a unit claimed in Redis, a winner recorded in MySQL. */
export class DropAttempts {
  /** Per drop, its config loading or loaded: concurrent attempts share one read of MySQL. */
  private readonly configs = new Map<string, { until: number; config: Promise<DropConfig> }>();
  /** A drop's winners, written to MySQL in shared transactions before their answers return. */
  private readonly reservations = new GroupCommit<NewReservation>((dropId, rows) =>
    this.insertReservations(dropId, rows),
  );

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly state: DropState,
    private readonly repo: DropsRepository,
    private readonly reservationRows: DropReservationsRepository,
    private readonly schedule: DropSchedule,
    private readonly publicUrl: string,
    private readonly logger: Logger,
  ) {}

  /**
   * A member's answer. Wrong answers and sold-out drops touch only Redis; a winner's unit is
   * recorded in MySQL (drop_reservations) before the answer returns, so no won unit is lost
   * if Redis is.
   */
  async attempt(dropId: string, memberId: string, answer: string) {
    const config = await this.config(dropId);
    // The brand could never buy what it won (buying one's own listing is refused): its unit
    // would sit reserved, out of every member's reach, until the reservation expired.
    if (memberId === config.ownerId)
      throw AppError.forbidden('A brand cannot play its own drop.', 'own_drop');
    const isCorrect = matchesAnswer(answer, config.salt, config.answerHashes);
    const { outcome, value } = await this.state.attempt(
      dropId,
      memberId,
      isCorrect,
      config.maxAttemptsPerUser,
      config.perUserLimit,
    );
    switch (outcome) {
      case 'rate_limited':
        throw AppError.rateLimited(value / 1000);
      case 'drop_not_live':
        throw AppError.conflict('drop_not_live', 'This drop is not open right now.');
      case 'attempts_exhausted':
        throw new AppError(
          429,
          'rate_limited',
          'attempts_exhausted',
          'You have used all your attempts for this drop.',
        );
      case 'wrong':
        return { correct: false as const, attemptsLeft: value };
      case 'limit_reached':
        throw AppError.conflict(
          'limit_reached',
          'You already hold as many units of this drop as a member may.',
        );
      case 'sold_out':
        throw AppError.conflict('sold_out', 'Every unit of this drop is taken.');
      case 'reserved':
        return {
          correct: true as const,
          reservation: await this.recordReservation(
            dropId,
            memberId,
            config,
            this.clock.now().toJSDate(),
          ),
        };
    }
  }

  private async recordReservation(dropId: string, memberId: string, config: DropConfig, now: Date) {
    const token = `rsv_${randomBytes(32).toString('base64url')}`;
    const id = newId('rsv', now.getTime());
    const expiresAt = new Date(now.getTime() + config.reservationSeconds * 1000);
    try {
      await this.reservations.add(dropId, {
        id,
        dropId,
        userId: memberId,
        tokenHash: hashToken(token),
        expiresAt,
        createdAt: now,
      });
    } catch (error) {
      if (error instanceof UnknownOutcome) throw AppError.unavailable();
      await this.state.release(dropId, memberId).catch(() => false);
      throw error;
    }
    await Promise.all([
      this.schedule.reservationExpiry(id, expiresAt),
      // Only for showing the link again (GET .../me): a winner without it can still buy.
      this.state
        .keepPurchaseToken(dropId, id, token, config.reservationSeconds * 1000)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, dropId }, 'could not keep a purchase link to show again'),
        ),
    ]);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      purchaseUrl: purchaseUrl(this.publicUrl, dropId, token),
    };
  }

  /**
   * Winners of one drop recorded together (see GroupCommit): one transaction per batch, with a
   * shared lock on the drop row so a closing drop cannot count its units while they are being
   * written (on a Galera cluster, the reservations' foreign key to the drop: migration 013).
   * Two round trips: the lock with the BEGIN, the rows with the COMMIT.
   *
   * The COMMIT travels with the rows, so a connection lost on that round trip leaves the
   * outcome unknown: the batch is one transaction, so its first row tells whether it landed.
   * Only a batch known not to be written gives its units back (in recordReservation); one whose
   * fate cannot be read keeps them taken until the drop ends and counts them from MySQL, since
   * giving back a unit whose reservation was written would let it be won twice.
   */
  private async insertReservations(dropId: string, rows: NewReservation[]): Promise<void> {
    try {
      await this.db.transaction(
        async (transaction) => {
          const drop = await this.repo.lockStatusShared(dropId, transaction);
          if (drop?.status !== 'live')
            throw AppError.conflict('drop_not_live', 'This drop is not open right now.');
          DropReservationsRepository.insertAtCommit(rows, transaction);
        },
        { batched: true },
      );
    } catch (error) {
      if (error instanceof AppError) throw error;
      let landed: boolean;
      try {
        landed = (await this.reservationRows.find(rows[0]!.id)) !== undefined;
      } catch {
        this.logger.error(
          { err: error, dropId, reservations: rows.length },
          'reservations may or may not be committed; their units stay taken until the drop ends',
        );
        throw new UnknownOutcome(error);
      }
      if (!landed) throw error;
      this.logger.warn(
        { err: error, dropId, reservations: rows.length },
        'reservations committed although their transaction reported an error',
      );
    }
  }

  /** Waits until no winner is waiting to be recorded: before shutdown closes Redis and MySQL. */
  settle(): Promise<void> {
    return this.reservations.drain();
  }

  /** A finished drop's puzzle is read again if ever asked for. */
  forget(dropId: string): void {
    this.configs.delete(dropId);
  }

  private config(dropId: string): Promise<DropConfig> {
    const cached = this.configs.get(dropId);
    if (cached && cached.until > Date.now()) return cached.config;
    // One load per drop per TTL, however many attempts arrive meanwhile: at a burst's opening
    // every connection asked MySQL for the same row at once.
    const config = this.loadConfig(dropId);
    this.configs.set(dropId, { until: Date.now() + CONFIG_TTL_MS, config });
    config.catch(() => {
      if (this.configs.get(dropId)?.config === config) this.configs.delete(dropId);
    });
    return config;
  }

  private async loadConfig(dropId: string): Promise<DropConfig> {
    const drop = await this.repo.find(dropId);
    if (!drop) throw AppError.notFound('drop');
    return {
      ownerId: drop.ownerId,
      salt: drop.answerSalt,
      answerHashes: JSON.parse(drop.answerHashes) as string[],
      maxAttemptsPerUser: drop.maxAttemptsPerUser,
      perUserLimit: drop.perUserLimit,
      reservationSeconds: drop.reservationSeconds,
    };
  }
}
