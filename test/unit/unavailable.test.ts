import { DatabaseError } from 'sequelize';
import { isBackingServiceDown } from '../../src/http/unavailable';

function socketError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`read ${code}`), { code, ...extra });
}

describe('isBackingServiceDown', () => {
  test.each([
    ['a reset socket', socketError('ECONNRESET', { fatal: true })],
    ['a broken pipe', socketError('EPIPE')],
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a lost MySQL connection', socketError('PROTOCOL_CONNECTION_LOST', { fatal: true })],
    ['any fatal mysql2 error', Object.assign(new Error('handshake'), { fatal: true })],
    [
      "mysql2's closed connection",
      new Error("Can't add new command when connection is in closed state"),
    ],
    ['a too-many-connections refusal', socketError('ER_CON_COUNT_ERROR')],
    ['a pool closed under it', new Error('Pool is closed.')],
    ['Db (migrations) wrapping a reset', new DatabaseError(socketError('ECONNRESET') as never)],
    [
      'ioredis without its offline queue',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
  ])('%s is a backing service down', (_name, error) => {
    expect(isBackingServiceDown(error)).toBe(true);
  });

  test.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a duplicate key', Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' })],
    [
      'Db (migrations) wrapping a syntax error',
      new DatabaseError(Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR' }) as never),
    ],
    ['not an error', 'ECONNRESET'],
  ])('%s is not', (_name, error) => {
    expect(isBackingServiceDown(error)).toBe(false);
  });
});
