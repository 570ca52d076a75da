import { allDrafts, getDraft, saveDraft, type Draft } from './drafts';

interface SyncResult {
  clientId: string;
  id: string | null;
  status: string | null;
  version: number | null;
  conflict?: { code: string; message: string; currentVersion: number | null };
}

export type SyncOutcome = 'done' | 'offline' | 'signedOut' | 'failed';

let running: Promise<SyncOutcome> | undefined;

/**
 * Sends every note in the outbox, one request each (a refused one does not hold the others
 * back). The service knows each note by its clientId, so a note sent twice (a retry after a
 * lost answer, two tabs) is still made once.
 */
export function syncOutbox(authorId: string): Promise<SyncOutcome> {
  running ??= sendAll(authorId).finally(() => {
    running = undefined;
  });
  return running;
}

async function sendAll(authorId: string): Promise<SyncOutcome> {
  const outbox = (await allDrafts(authorId)).filter((draft) => draft.state === 'outbox').reverse();
  for (const draft of outbox) {
    const outcome = await sendOne(draft);
    if (outcome !== 'done') return outcome;
  }
  return 'done';
}

function requestOf(draft: Draft) {
  return {
    clientId: draft.clientId,
    title: draft.title,
    body: draft.body,
    languages: draft.languages,
    cultureTags: draft.cultureTags,
    writtenAt: draft.writtenAt,
    ...(draft.baseVersion !== undefined ? { baseVersion: draft.baseVersion } : {}),
  };
}

async function sendOne(draft: Draft): Promise<SyncOutcome> {
  let response: Response;
  try {
    response = await fetch('/notes/outbox', {
      method: 'POST',
      // A form body: the service's JSON parser reads JSON bodies before pages see them.
      body: new URLSearchParams({ notes: JSON.stringify([requestOf(draft)]) }),
      // A request made as the network drops can hang rather than fail: give up and retry later
      // (if it did arrive, the retry is answered with the same note).
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    return 'offline';
  }
  if (response.status === 401) return 'signedOut';
  // The writer may have changed it while it was on the way: keep their newer text.
  const current = await getDraft(draft.clientId);
  if (!current || current.savedAt !== draft.savedAt) return 'done';
  if (response.status === 400) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    await saveDraft({
      ...draft,
      state: 'conflict',
      conflict: {
        code: 'invalid',
        message: body?.error?.message ?? '',
        currentVersion: draft.baseVersion ?? null,
      },
    });
    return 'done';
  }
  if (!response.ok) return 'failed';
  const { results } = (await response.json()) as { results: SyncResult[] };
  const result = results.find((entry) => entry.clientId === draft.clientId);
  if (!result) return 'failed';
  await saveDraft(
    result.conflict
      ? { ...draft, state: 'conflict', conflict: result.conflict, noteId: result.id }
      : {
          ...draft,
          state: 'sent',
          noteId: result.id,
          noteStatus: result.status,
          baseVersion: result.version ?? draft.baseVersion,
          conflict: undefined,
        },
  );
  return 'done';
}
