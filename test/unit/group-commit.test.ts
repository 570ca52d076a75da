import { GroupCommit } from '../../src/db/group-commit';

/** A writer that records its batches and finishes each when told to. */
function recordingWriter(fail: (items: number[]) => boolean = () => false) {
  const batches: Array<{ key: string; items: number[] }> = [];
  const finish: Array<() => void> = [];
  const write = (key: string, items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push({ key, items });
      finish.push(() => (fail(items) ? reject(new Error(`batch ${items.join()}`)) : resolve()));
    });
  return { batches, finish, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  test('items added in one turn share one write; items added while it runs share the next', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit<number>(writer.write, { maxWrites: 1 });
    const first = [1, 2, 3].map((n) => group.add('a', n));
    await turn();
    expect(writer.batches).toEqual([{ key: 'a', items: [1, 2, 3] }]);

    const second = [4, 5].map((n) => group.add('a', n));
    await turn();
    // One write per key at a time here: 4 and 5 wait for the first batch to finish.
    expect(writer.batches).toHaveLength(1);
    writer.finish[0]!();
    await Promise.all(first);
    await turn();
    expect(writer.batches[1]).toEqual({ key: 'a', items: [4, 5] });
    writer.finish[1]!();
    await Promise.all(second);
  });

  test('keys are written independently, and a batch holds at most maxBatch items', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit<number>(writer.write, { maxBatch: 2, maxWrites: 1 });
    const done = [group.add('a', 1), group.add('b', 2), group.add('a', 3), group.add('a', 4)];
    await turn();
    expect(writer.batches).toEqual([
      { key: 'a', items: [1, 3] },
      { key: 'b', items: [2] },
    ]);
    writer.finish[0]!();
    writer.finish[1]!();
    await turn();
    expect(writer.batches[2]).toEqual({ key: 'a', items: [4] });
    writer.finish[2]!();
    await expect(Promise.all(done)).resolves.toHaveLength(4);
  });

  test('a failed write fails every item of its batch and no other; the next batch still goes', async () => {
    const writer = recordingWriter((items) => items.includes(1));
    const group = new GroupCommit<number>(writer.write, { maxWrites: 1 });
    const one = group.add('a', 1);
    const two = group.add('a', 2);
    await turn();
    const three = group.add('a', 3);
    writer.finish[0]!();
    await expect(one).rejects.toThrow('batch 1,2');
    await expect(two).rejects.toThrow('batch 1,2');
    await turn();
    expect(writer.batches[1]).toEqual({ key: 'a', items: [3] });
    writer.finish[1]!();
    await expect(three).resolves.toBeUndefined();
  });

  test('a writer that throws at once is a failed batch, not a lost promise', async () => {
    const group = new GroupCommit<number>(() => {
      throw new Error('no connection');
    });
    await expect(group.add('a', 1)).rejects.toThrow('no connection');
    await expect(group.add('a', 2)).rejects.toThrow('no connection');
  });

  test('drain waits for what is gathering and being written', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit<number>(writer.write);
    const item = group.add('a', 1);
    let drained = false;
    const draining = group.drain().then(() => (drained = true));
    await turn();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(drained).toBe(false);
    writer.finish[0]!();
    await item;
    await draining;
    expect(drained).toBe(true);
    await expect(group.drain()).resolves.toBeUndefined();
  });

  test('up to maxWrites batches of a key are written side by side; the next gathers meanwhile', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit<number>(writer.write, { maxBatch: 2, maxWrites: 2 });
    // Five at once: two batches of two go out together, the fifth waits for one to finish.
    const first = [1, 2, 3, 4, 5].map((n) => group.add('a', n));
    await turn();
    await turn();
    expect(writer.batches.map((b) => b.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const late = group.add('a', 6);
    await turn();
    expect(writer.batches).toHaveLength(2);
    writer.finish[1]!();
    await Promise.all(first.slice(2, 4));
    await turn();
    expect(writer.batches[2]!.items).toEqual([5, 6]);
    writer.finish[0]!();
    writer.finish[2]!();
    await expect(Promise.all([...first, late])).resolves.toHaveLength(6);
  });
});
