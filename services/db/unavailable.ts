/**
 * @module services/db/unavailable
 * "The database could not be reached or did not answer" as our error model sees it: PostgreSQL
 * restarting, down or unreachable makes a request `UNAVAILABLE` (503 with `Retry-After`, an error
 * reply on the socket: gateway/http/errors.ts) instead of an unexplained 500. Nothing was written
 * by a request that failed this way, or the write is idempotent; the client retries.
 */
import { BackendTerminatedError, BackendTerminatedUnexpectedlyError, ConnectionError, StatementTimeoutError } from 'slonik';
import { AppError, temporarilyUnavailable } from '../errors.js';

/** Socket-level failures of a connection to PostgreSQL. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** SQLSTATEs of a server shutting down or starting (57P01–57P03) and of connection exceptions (class 08). */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

function codeOf(err: Error): string | undefined {
  const code: unknown = Reflect.get(err, 'code');
  return typeof code === 'string' ? code : undefined;
}

/** True when `err`, or an error it wraps, says PostgreSQL could not be reached or did not answer in time. */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth += 1, e = e.cause) {
    if (e instanceof AppError) return false;
    if (e instanceof ConnectionError || e instanceof BackendTerminatedError || e instanceof BackendTerminatedUnexpectedlyError) return true;
    if (e instanceof StatementTimeoutError) return true;
    const code = codeOf(e);
    if (code !== undefined && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
    if (/Connection terminated|terminating connection due to administrator command/i.test(e.message)) return true;
  }
  return false;
}

/** The error a request sees when the database is unreachable. */
export function databaseUnavailable(cause: unknown): AppError {
  return temporarilyUnavailable('database unavailable', cause);
}
