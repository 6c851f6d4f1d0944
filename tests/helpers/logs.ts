/** Loggers for stack tests that read what the gateway or worker logged. */
import type { LogFields, Logger } from '../../services/log.js';

export interface Logged {
  msg: string;
  fields: LogFields | undefined;
}

/** A logger that appends every info, warn and error line to `into` (debug is dropped; children log alike). */
export function capturingLogger(into: Logged[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: (msg, fields) => void into.push({ msg, fields }),
    warn: (msg, fields) => void into.push({ msg, fields }),
    error: (msg, fields) => void into.push({ msg, fields }),
    child: () => log,
  };
  return log;
}
