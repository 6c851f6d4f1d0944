/**
 * @module services/db/pool
 * The slonik pool factory. It installs the result-parser interceptor: every
 * query written as `sql.type(ZRow)` has each row validated by its zod schema,
 * so schemas are checked contracts rather than type annotations (CONTRIBUTING.md#sql).
 * A row that does not match throws `SchemaValidationError`: that is a bug, not
 * an input error, and it propagates (CONTRIBUTING.md#sql).
 */
import { createPool, SchemaValidationError, type DatabasePool, type Interceptor, type QueryResultRow } from 'slonik';

export type { DatabasePool, DatabaseConnection, DatabaseTransactionConnection } from 'slonik';

const resultParserInterceptor: Interceptor = {
  name: 'netia-result-parser',
  transformRow(queryContext, query, row): QueryResultRow {
    const parser = queryContext.resultParser;
    if (!parser) return row;
    const result = parser.safeParse(row);
    if (!result.success) throw new SchemaValidationError(query, row, result.error.issues);
    return result.data as QueryResultRow;
  },
};

export interface DbPoolOptions {
  maximumPoolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** Open a pool. Timestamps come back as epoch milliseconds (slonik's default parser). */
export async function createDbPool(url: string, opts: DbPoolOptions = {}): Promise<DatabasePool> {
  const u = new URL(url);
  if (opts.applicationName && !u.searchParams.has('application_name')) {
    u.searchParams.set('application_name', opts.applicationName);
  }
  return createPool(u.toString(), {
    interceptors: [resultParserInterceptor],
    maximumPoolSize: opts.maximumPoolSize ?? 10,
    connectionTimeout: 10_000,
    idleTimeout: 30_000,
    statementTimeout: 30_000,
    // slonik's default runs `DISCARD ALL` after every release, one more round trip per
    // query (it doubled the statements of the message path). Nothing here keeps session
    // state on a pooled connection: timeouts are startup parameters, advisory locks are
    // transaction-scoped (`pg_advisory_xact_lock`), no SET/LISTEN/PREPARE/temp tables
    // (migrations, which take a session lock, use their own client). Keep it that way.
    resetConnection: async () => {},
  });
}
