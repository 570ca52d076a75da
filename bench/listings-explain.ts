/**
 * The SQL each browse scenario runs, and its plan: the bench calls the listings repositories
 * in-process (as the service does), records every statement mysql2 sends through its
 * `mysql2:query` tracing channel, and runs MariaDB's ANALYZE (EXPLAIN plus the rows each step
 * really read, `r_rows`) on each; EXPLAIN where ANALYZE is not understood.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import mysql from 'mysql2';
import type { Db } from '../src/db/db';
import { decodeCursor } from '../src/http/cursor';
import { ListingSearchRepository } from '../src/listings/listing-search.repository';
import { ListingsRepository } from '../src/listings/listings.repository';
import { browseQuery } from '../src/listings/listings.schema';
import { planSearch } from '../src/search/search-plan';
import { queryTokens } from '../src/search/search-tokens';

interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  ref: string | null;
  rows: number | null;
  r_rows?: number | null;
  filtered?: number | null;
  r_filtered?: number | null;
  Extra: string | null;
}

/** A prepared statement's value as the text query would bind it (mysql2's typed integers). */
const plainValue = (value: unknown) =>
  value !== null && typeof value === 'object' && 'type' in value && 'value' in value
    ? value.value
    : value;

/**
 * SELECT statements sent while `work` runs: text queries as sent, prepared ones (the
 * `mysql2:execute` channel) with their values written in, so ANALYZE can run them.
 */
async function recording(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const channels = ['mysql2:query', 'mysql2:execute'].map((name) =>
    tracingChannel<{ query: string; values?: unknown[] }>(name),
  );
  const handlers = {
    start: (context: { query: string; values?: unknown[] }) => {
      // Not the pool's session setup (SET time_zone) on a new connection.
      if (!/^\s*\(?SELECT/i.test(context.query)) return;
      sent.push(
        context.values
          ? mysql.format(
              context.query,
              context.values.map(plainValue) as Parameters<typeof mysql.format>[1],
            )
          : context.query,
      );
    },
    end: () => {},
    asyncStart: () => {},
    asyncEnd: () => {},
    error: () => {},
  };
  for (const channel of channels) channel.subscribe(handlers);
  try {
    await work();
  } finally {
    for (const channel of channels) channel.unsubscribe(handlers);
  }
  return sent;
}

async function planOf(db: Db, sql: string): Promise<PlanRow[]> {
  try {
    return (await db.query(`ANALYZE ${sql}`)) as PlanRow[];
  } catch {
    return (await db.query(`EXPLAIN ${sql}`)) as PlanRow[];
  }
}

/** A table cell, without the bench database's name before column references. */
const cell = (value: unknown) =>
  value === null || value === undefined
    ? ''
    : String(value)
        .replace(/\bcs_bench_listings_\d+\./g, '')
        .replace(/\|/g, '\\|');

/** Markdown: per scenario, each statement (shortened) and its plan as a table. */
export async function explainScenarios(
  db: Db,
  scenarios: Array<[string, string]>,
): Promise<string> {
  const search = new ListingSearchRepository(db);
  const listings = new ListingsRepository(db);
  const out: string[] = [];
  for (const [label, url] of scenarios) {
    const query = browseQuery.parse(
      Object.fromEntries(new URL(url, 'http://bench').searchParams.entries()),
    );
    // As ListingsService.browse: one word in one round trip when it answers, else a plan.
    const statements = await recording(async () => {
      const afterId = decodeCursor(query.cursor);
      const tokens = queryTokens(query.q ?? '');
      if (tokens.length === 1 && tokens[0]!.isPrefix) {
        const word = tokens[0]!.token;
        const found = await listings.browseWord(query, word, afterId, query.limit + 1);
        if (found.terms.length === 0) return;
        if (found.terms.length === 1 && found.terms[0] === word) return;
      }
      const plan = await planSearch(query.q ?? '', search);
      if (plan) await listings.browse(query, plan, afterId, query.limit + 1);
    });
    out.push(
      `#### ${label}`,
      '',
      `\`${decodeURIComponent(url).replace(/cursor=[^&]+/, 'cursor=…')}\``,
    );
    if (statements.length === 0) out.push('', 'No statement: the plan alone answers (no match).');
    for (const sql of statements) {
      const rows = await planOf(db, sql);
      const hasR = rows.some((r) => r.r_rows !== undefined);
      out.push(
        '',
        `\`${sql
          .replace(/\s+/g, ' ')
          .replace(/SELECT (STRAIGHT_JOIN )?l\.id, .*? FROM/, 'SELECT $1… FROM')
          .replace(/SELECT (NULL, )+token FROM/, 'SELECT NULL, …, token FROM')}\``,
        '',
        `| table | type | key | ref | rows |${hasR ? ' r_rows | r_filtered % |' : ''} Extra |`,
        `| --- | --- | --- | --- | ---: |${hasR ? ' ---: | ---: |' : ''} --- |`,
        ...rows.map(
          (r) =>
            `| ${cell(r.table)} | ${cell(r.type)} | ${cell(r.key)} | ${cell(r.ref)} | ${cell(r.rows)} |${hasR ? ` ${cell(r.r_rows)} | ${cell(r.r_filtered)} |` : ''} ${cell(r.Extra)} |`,
        ),
      );
    }
    out.push('');
  }
  return out.join('\n');
}
