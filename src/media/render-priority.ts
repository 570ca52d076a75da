import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value photo work runs at: below the event loop's (0), above idle. */
export const IMAGE_NICENESS = 10;
/** What libvips names the threads that compute pixels: all of sharp's CPU time is spent in them. */
const LIBVIPS_THREAD = 'libvips worker';

/**
 * Lowers the scheduling priority of libvips' worker threads (Linux: setpriority(2) given a
 * thread id changes that thread alone), so on a machine whose cores are all busy, resizing a
 * burst of photos yields the CPU to the event loop instead of sharing it: the API keeps
 * answering, the photos take longer. libvips starts threads as it needs them, so this is
 * checked around every render; a thread already lowered is left alone. Elsewhere: nothing.
 */
export function lowerImageThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const task of tasks) {
    const threadId = Number(task);
    try {
      if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() !== LIBVIPS_THREAD) continue;
      if (getPriority(threadId) < IMAGE_NICENESS) setPriority(threadId, IMAGE_NICENESS);
    } catch {
      // The thread ended meanwhile.
    }
  }
}
