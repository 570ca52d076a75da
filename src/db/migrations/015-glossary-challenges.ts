import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * The glossary of untranslated hot words (terms, members' explanations through the cultural
 * buffer, one vote per member) and brands' writing challenges (a capped list of participants,
 * each earning the bonus once).
 */
export const glossaryChallenges: Migration = {
  name: '015-glossary-challenges',
  async up({ context: sql }) {
    // term_key: the term as it is matched (src/glossary/term-key.ts); one term per key.
    // published_count: its published explanations; only terms with one are listed on notes.
    await sql.query(`CREATE TABLE glossary_terms (
      id ${ID} NOT NULL PRIMARY KEY,
      term VARCHAR(50) NOT NULL,
      term_key VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      language VARCHAR(35) CHARACTER SET ascii NOT NULL,
      created_by ${ID} NOT NULL,
      published_count INT NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY glossary_terms_key (term_key)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // points_awarded: what the explanation earned its author, exactly what a rejection takes back.
    await sql.query(`CREATE TABLE glossary_explanations (
      id ${ID} NOT NULL PRIMARY KEY,
      term_id ${ID} NOT NULL,
      author_id ${ID} NOT NULL,
      language VARCHAR(35) CHARACTER SET ascii NOT NULL,
      text TEXT NOT NULL,
      status VARCHAR(20) CHARACTER SET ascii NOT NULL,
      vote_count INT NOT NULL DEFAULT 0,
      points_awarded INT NOT NULL DEFAULT 0,
      reject_reason VARCHAR(500) NULL,
      moderated_by ${ID} NULL,
      published_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY glossary_explanations_term (term_id, status, vote_count),
      KEY glossary_explanations_status (status, id),
      KEY glossary_explanations_author (author_id, term_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE glossary_votes (
      explanation_id ${ID} NOT NULL,
      member_id ${ID} NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (explanation_id, member_id),
      KEY glossary_votes_member (member_id)
    ) ENGINE=InnoDB`);
    // One row, changed with every change to the set of terms listed on notes, so each process
    // reloads its copy of that set only when it changed.
    await sql.query(`CREATE TABLE glossary_version (
      id TINYINT NOT NULL PRIMARY KEY,
      version BIGINT NOT NULL
    ) ENGINE=InnoDB`);
    await sql.query('INSERT INTO glossary_version (id, version) VALUES (1, 0)');
    // participant_count never passes max_participants: the CHECK backs the conditional update.
    await sql.query(`CREATE TABLE challenges (
      id ${ID} NOT NULL PRIMARY KEY,
      brand_id ${ID} NOT NULL,
      title VARCHAR(200) NOT NULL,
      tag VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NOT NULL,
      max_participants INT NOT NULL,
      participant_count INT NOT NULL DEFAULT 0,
      bonus_points INT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      CONSTRAINT challenges_capacity CHECK (participant_count <= max_participants),
      KEY challenges_brand (brand_id, id),
      KEY challenges_window (ends_at, id),
      KEY challenges_tag (tag)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // bonus_note_id: the entry that earned the bonus (null until one has); bonus_points what it earned.
    await sql.query(`CREATE TABLE challenge_participants (
      challenge_id ${ID} NOT NULL,
      member_id ${ID} NOT NULL,
      joined_at DATETIME(3) NOT NULL,
      bonus_note_id ${ID} NULL,
      bonus_points INT NOT NULL DEFAULT 0,
      PRIMARY KEY (challenge_id, member_id),
      KEY challenge_participants_member (member_id),
      KEY challenge_participants_bonus_note (bonus_note_id)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    for (const table of [
      'challenge_participants',
      'challenges',
      'glossary_version',
      'glossary_votes',
      'glossary_explanations',
      'glossary_terms',
    ])
      await sql.query(`DROP TABLE IF EXISTS ${table}`);
  },
};
