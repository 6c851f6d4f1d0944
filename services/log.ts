/**
 * @module services/log
 * Minimal structured logger: one line per event, JSON in production, readable
 * text in development. Secrets must be wrapped in `Secret` before they get here.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { level: LogLevel; json?: boolean; name?: string; base?: LogFields }): Logger {
  const min = ORDER[opts.level];
  const base: LogFields = { ...(opts.name ? { name: opts.name } : {}), ...opts.base };
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = { message: v.message, stack: v.stack };
    const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
    if (opts.json) {
      stream.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...all }) + '\n');
    } else {
      const extra = Object.keys(all).length ? ' ' + JSON.stringify(all) : '';
      stream.write(`${new Date().toISOString().slice(11, 23)} ${level.padEnd(5)} ${msg}${extra}\n`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests that assert on other output). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
