/**
 * Adds the job that carries on a row just written. If the queue cannot take it (Redis down),
 * the row is removed again and the error goes on to the caller (a 503), so a refused request
 * leaves nothing pending that no job will ever pick up, and the client's retry starts clean.
 */
export async function enqueueOrUndo(
  add: () => Promise<unknown>,
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    await add();
  } catch (error) {
    await undo().catch(() => undefined);
    throw error;
  }
}
