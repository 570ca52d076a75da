/**
 * `npm run check:tables`: SQL lives in repositories, and each table has one writer.
 *
 * Reads every string and template literal of the service's source (src/, campaigns/, jobs/; the
 * migrations and the SQL layer itself excepted) and fails when
 * - a literal that is a SQL statement (it starts with SELECT, INSERT, UPDATE, DELETE, REPLACE or
 *   WITH) sits outside a `*.repository.ts` file, or
 * - a table is written (INSERT, REPLACE, UPDATE, DELETE) from more than one repository file.
 * `--owners` also prints which repository writes which table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['src', 'campaigns', 'jobs'];
/** The SQL layer and the schema's history are where SQL is the point. */
const EXEMPT = [/^src\/db\//];

const STATEMENT = /^[\s(]*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH)\s/;
const WRITES = [
  /\bINSERT\s+(?:IGNORE\s+)?INTO\s+`?(\w+)/g,
  /\bREPLACE\s+INTO\s+`?(\w+)/g,
  /\bDELETE\s+FROM\s+`?(\w+)/g,
  // `UPDATE t [alias] [JOIN ...] SET`: not `FOR UPDATE` or `ON DUPLICATE KEY UPDATE`.
  /(?<!FOR\s+|KEY\s+)\bUPDATE\s+`?(\w+)/g,
];

export interface Finding {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(relative));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(relative);
  }
  return found;
}

/** Every string literal and template literal of a file, templates with `${}` as `?`. */
function literals(file: string): Finding[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    let value: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) value = node.text;
    else if (ts.isTemplateExpression(node))
      value = [node.head.text, ...node.templateSpans.map((span) => `?${span.literal.text}`)].join(
        '',
      );
    if (value !== undefined) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ file, line, text: value });
      if (ts.isTemplateExpression(node))
        node.templateSpans.forEach((span) => visit(span.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function writtenTables(sql: string): string[] {
  const tables = new Set<string>();
  for (const pattern of WRITES)
    for (const match of sql.matchAll(pattern)) if (match[1] !== 'SET') tables.add(match[1]!);
  return [...tables];
}

export interface Report {
  outside: Finding[];
  writers: Map<string, Set<string>>;
}

export function check(files: string[] = SOURCE_DIRS.flatMap(sourceFiles)): Report {
  const outside: Finding[] = [];
  const writers = new Map<string, Set<string>>();
  for (const file of files) {
    if (EXEMPT.some((pattern) => pattern.test(file))) continue;
    const isRepository = file.endsWith('.repository.ts');
    for (const literal of literals(file)) {
      if (!STATEMENT.test(literal.text) && !isRepository) continue;
      if (!isRepository) {
        outside.push(literal);
        continue;
      }
      for (const table of writtenTables(literal.text)) {
        if (!writers.has(table)) writers.set(table, new Set());
        writers.get(table)!.add(file);
      }
    }
  }
  return { outside, writers };
}

function main(): void {
  const { outside, writers } = check();
  const shared = [...writers].filter(([, files]) => files.size > 1);
  for (const finding of outside)
    console.log(
      `${finding.file}:${finding.line}: SQL outside a repository: ${finding.text.trim().replace(/\s+/g, ' ').slice(0, 70)}`,
    );
  for (const [table, files] of shared)
    console.log(
      `table ${table} is written by ${files.size} repositories: ${[...files].join(', ')}`,
    );
  if (process.argv.includes('--owners'))
    for (const [table, files] of [...writers].sort(([a], [b]) => a.localeCompare(b)))
      console.log(`${table}: ${[...files].join(', ')}`);
  if (outside.length > 0 || shared.length > 0) {
    console.log(
      `${outside.length} statements outside repositories, ${shared.length} tables with several writers`,
    );
    process.exitCode = 1;
  } else console.log(`SQL only in repositories; ${writers.size} tables, one writer each`);
}

if (require.main === module) main();
