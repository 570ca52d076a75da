/**
 * Property test over every endpoint of the API (the paths of GET /openapi.json, plus the ops
 * endpoints): a request answered with an error changes no table's row count. Its twin,
 * bad-input.property.test.ts, checks the answers themselves.
 *
 * Runs per endpoint: BAD_INPUT_RUNS (default 60). Seed: BAD_INPUT_SEED.
 */
import {
  bad,
  checkEveryEndpoint,
  signInAgainAfter,
  summary,
  useBadInputWorld,
} from '../support/bad-input-world';
import { countChanges, describeExchange, sendWire, tableCounts } from '../support/raw-http';

useBadInputWorld();

describe('generated bad input, every endpoint', () => {
  test('a rejected request changes no table row count', async () => {
    // Requests go one at a time: after a rejected one, the counts taken after it are the next
    // one's counts before.
    let counted: Record<string, number> | undefined;
    const failures = await checkEveryEndpoint('writes', async (endpoint, wire) => {
      const before = counted ?? (await tableCounts(bad.ctx.db));
      counted = undefined;
      const res = await sendWire(bad.server, wire);
      await signInAgainAfter(endpoint, res.status);
      if (res.status >= 200 && res.status < 300) return undefined;
      counted = await tableCounts(bad.ctx.db);
      const changes = countChanges(before, counted);
      return changes.length > 0
        ? `rejected, yet rows changed: ${changes.join(', ')}\n${describeExchange(wire, res)}`
        : undefined;
    });
    expect(summary(failures)).toBe('');
  }, 600_000);
});
