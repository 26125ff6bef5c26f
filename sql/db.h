/* One MariaDB connection with cached prepared statements; every value travels as a parameter. */
#ifndef JICENG_DB_H
#define JICENG_DB_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct db;
struct db_stmt;

/* What a database call can end in. Callers map these to HTTP statuses at the edge. */
enum db_result {
    DB_OK = 0,
    DB_ROW = 1,        /* db_fetch: a row is ready */
    DB_DONE = 2,       /* db_fetch: no more rows */
    DB_ERROR = -1,     /* a bug or a constraint we did not expect: 500 */
    DB_DOWN = -2,      /* the server is unreachable or went away: 503, retried later */
    DB_DUPLICATE = -3, /* a unique key refused the row: 409 */
    DB_CONFLICT = -4,  /* a deadlock or lock wait timeout: 409 or retry */
};

enum db_account { DB_APPLICATION, DB_ADMIN };

/* Makes a handle for the given account. It connects lazily: db_ready() connects or reconnects,
 * so a worker started while the server is down serves as soon as it is back. Never NULL. */
struct db *db_new(const struct config *cfg, enum db_account account);
void db_free(struct db *db);

/* Connects if not connected. Returns DB_OK or DB_DOWN (message in db_error). */
int db_ready(struct db *db);

/* Sets @jurisdiction on the connection, the region code the my_* views keep (see
 * sql/migrations/003_jurisdiction_roster.sql); NO_JURISDICTION matches nothing. Skips the round
 * trip when the connection holds that value already. Returns DB_OK or an error. */
int db_set_jurisdiction(struct db *db, const char *region);
#define NO_JURISDICTION "-"

/* What a NULL from db_prepare means: DB_DOWN when the server cannot be reached, else DB_ERROR
 * (a statement that does not prepare is a bug). For `return http_db_error(req, db_failure(db))`. */
int db_failure(struct db *db);

/* The message of the last failure on this handle; empty when there was none. */
const char *db_error(const struct db *db);

/* A round trip to the server, reconnecting if needed: DB_OK or DB_DOWN. */
int db_ping(struct db *db);

/* Runs SQL text that carries no values (DDL, migrations); several statements may be separated by
 * semicolons. Returns DB_OK or an error. */
int db_exec_script(struct db *db, const char *sql);

int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* A transaction only to be rolled back (a dry run): the writes run, with every check of the
 * schema, but the statistics' counts are not kept. db_rollback ends it; db_commit refuses. */
int db_begin_trial(struct db *db);

/* Returns the prepared statement for sql, preparing it on first use on this connection. sql must
 * be a string constant: its address is the cache key. Parameters start unbound. NULL when the
 * server is down or the statement does not prepare (see db_error). The statement belongs to the
 * handle; do not free it. */
struct db_stmt *db_prepare(struct db *db, const char *sql);

/* The same for a text put together at run time from fixed pieces (the values still bound): the
 * statement keeps a copy and is found again by the text itself. */
struct db_stmt *db_prepare_text(struct db *db, const char *sql);

/* Bind the next parameter, left to right. Bound strings are not copied: they must live until
 * db_execute returns. A NULL text binds SQL NULL. */
void db_bind_text(struct db_stmt *st, const char *text, size_t len);
void db_bind_str(struct db_stmt *st, const char *text); /* NUL-terminated */
void db_bind_int(struct db_stmt *st, long long value);
void db_bind_null(struct db_stmt *st);

/* Executes with the bound parameters. Returns DB_OK or an error; on DB_DOWN the connection is
 * marked broken and the next db_ready reconnects. */
int db_execute(struct db_stmt *st);

/* Next row of a result: DB_ROW, DB_DONE or an error. */
int db_fetch(struct db_stmt *st);

/* Executes and fetches the first row, for a statement of one row or none: DB_ROW, DB_DONE or
 * an error. */
int db_execute_row(struct db_stmt *st);

/* The row of sql with id as its one value: prepares, binds, executes and fetches. Returns the
 * statement, its columns readable until db_reset, with *rc = DB_ROW; or NULL with *rc DB_DONE
 * (no such row) or an error. */
struct db_stmt *db_row_of(struct db *db, const char *sql, long long id, int *rc);

/* Columns of the current row, from 0. Text stays valid until the next fetch or execute on the
 * statement. A NULL column reads as NULL text, 0 and true from db_col_null. */
const char *db_col_text(struct db_stmt *st, int col, size_t *len);
long long db_col_int(struct db_stmt *st, int col);
bool db_col_null(struct db_stmt *st, int col);

/* Rows changed by the last execute, and the id it generated. */
long long db_affected(struct db_stmt *st);
long long db_insert_id(struct db_stmt *st);

/* Frees the result of the last execute, so the connection can run another statement. db_execute
 * does this for the statement it runs; call it when you stop fetching early. */
void db_reset(struct db_stmt *st);

#endif
