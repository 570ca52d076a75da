import { ConnectionError as SequelizeConnectionError } from 'sequelize';

const REDIS_DOWN = [
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
  'connect ECONNREFUSED',
];

/** True for errors that mean MySQL or Redis could not be reached, as opposed to a bug. */
export function isBackingServiceDown(error: unknown): boolean {
  if (error instanceof SequelizeConnectionError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'PROTOCOL_CONNECTION_LOST' || code === 'ETIMEDOUT')
    return true;
  return REDIS_DOWN.some((text) => error.message.includes(text));
}
