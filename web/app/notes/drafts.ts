import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface Conflict {
  code: string;
  message: string;
  currentVersion: number | null;
}

/** A note as this browser keeps it until the service has it (and a while after). */
export interface Draft {
  clientId: string;
  /** Whose it is: a browser shared by two members shows and sends each only their own. */
  authorId: string;
  title: string;
  body: string;
  languages: string[];
  cultureTags: string[];
  /** When the writer saved it: the note's `writtenAt`, whenever it reaches the service. */
  writtenAt: string;
  /** Set when editing a note the service has: the version the edit was made on. */
  baseVersion?: number;
  /** draft: still being written; outbox: to send; sent: the service has it; conflict: refused. */
  state: 'draft' | 'outbox' | 'sent' | 'conflict';
  noteId?: string | null;
  noteStatus?: string | null;
  conflict?: Conflict;
  savedAt: string;
}

interface NotesDb extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { savedAt: string } };
}

let opening: Promise<IDBPDatabase<NotesDb>> | undefined;

function db(): Promise<IDBPDatabase<NotesDb>> {
  opening ??= openDB<NotesDb>('cyberstall-notes', 1, {
    upgrade(database) {
      const store = database.createObjectStore('drafts', { keyPath: 'clientId' });
      store.createIndex('savedAt', 'savedAt');
    },
  });
  return opening;
}

export async function allDrafts(authorId: string): Promise<Draft[]> {
  const drafts = await (await db()).getAllFromIndex('drafts', 'savedAt');
  return drafts.filter((draft) => draft.authorId === authorId).reverse();
}

export async function getDraft(clientId: string): Promise<Draft | undefined> {
  return (await db()).get('drafts', clientId);
}

export async function saveDraft(draft: Draft): Promise<void> {
  await (await db()).put('drafts', draft);
}

export async function removeDraft(clientId: string): Promise<void> {
  await (await db()).delete('drafts', clientId);
}
