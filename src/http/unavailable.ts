const REDIS_DOWN = [
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
  'connect ECONNREFUSED',
];

/** Socket and protocol failures: the server went away, or never answered. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  fatal?: unknown;
  parent?: unknown;
}

/**
 * True for errors that mean MySQL or Redis could not be reached, as opposed to a bug. Read by
 * shape, not `instanceof Error`: socket errors are made by Node's core, which under a test
 * runner's sandbox is another realm with another `Error`.
 */
export function isBackingServiceDown(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { name, code, fatal } = error as ErrorLike;
  const message =
    typeof (error as ErrorLike).message === 'string' ? (error as { message: string }).message : '';
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  // mysql2 marks the errors that killed their connection; a closed connection refuses commands.
  if (fatal === true || message.includes('connection is in closed state')) return true;
  // The service is stopping: its mysql2 pools were ended under a request still in flight.
  if (message === 'Pool is closed.') return true;
  if (REDIS_DOWN.some((text) => message.includes(text))) return true;
  // Migrations' Sequelize wraps the driver's error (`parent`, also `original`).
  const { parent } = error as ErrorLike;
  return parent !== undefined && isBackingServiceDown(parent, depth + 1);
}
