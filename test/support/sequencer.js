const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const durations = require('./test-durations.json');

const ROOT = path.resolve(__dirname, '../..');

/**
 * Jest runs the longest files first when it knows how long each took, from its cache; on a
 * fresh checkout (CI) it knows nothing and orders by file size, which puts the group files of
 * test/integration (a few lines that load their parts, but among the longest to run) last, and
 * a run ends with one worker busy and the others idle. Without its cache's figure a file gets
 * the one recorded in test-durations.json (`npm run test:durations` rewrites it).
 */
class KnownDurationsSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? durations[path.relative(ROOT, test.path)];
  }
}

module.exports = KnownDurationsSequencer;
