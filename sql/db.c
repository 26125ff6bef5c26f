/* The MariaDB connection of one worker: lazy (re)connection, prepared statements cached by their
 * SQL constant, and every column read as text so callers never juggle MYSQL_BIND buffers. */
#include "db.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"

/* STMT_CACHE: room for every statement constant of the program (about 130 with the
 * workflow's), so a worker serving every route never evicts one it will need again.
 * IDLE_CHECK: seconds a connection may lie unused before the next use pings it first. */
enum { STMT_CACHE = 192, FIRST_COLUMN_BUFFER = 128, IDLE_CHECK = 2 };

enum column_kind { COLUMN_TEXT, COLUMN_INT, COLUMN_DATE };

union column_value {
    long long number;
    MYSQL_TIME date;
};

struct db_stmt {
    struct db *db;
    MYSQL_STMT *stmt;
    const char *sql;
    char *own_sql; /* the copy of a text made at run time (db_prepare_text), else NULL */
    /* parameters */
    unsigned param_count, bound;
    MYSQL_BIND *params;
    long long *ints;
    unsigned long *param_lengths;
    /* result columns: integers and dates fetched as values and written as text here when
     * asked for (see bind_columns), the others fetched as text */
    unsigned col_count;
    MYSQL_BIND *cols;
    enum column_kind *kinds;
    union column_value *values;
    char **bufs;
    unsigned long *lengths;
    my_bool *nulls, *truncated;
    bool has_result;
};

struct db {
    const struct config *cfg;
    enum db_account account;
    MYSQL *conn;
    bool broken;
    bool in_transaction;  /* between db_begin and db_commit or db_rollback */
    bool trial;           /* in a transaction of db_begin_trial: statistics not kept */
    time_t last_used;     /* CLOCK_MONOTONIC seconds */
    struct db_stmt *cache[STMT_CACHE];
    int cached;
    char jurisdiction[16]; /* what @jurisdiction holds on this connection; "" when unset */
    char error[512];
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        out_of_memory();
    return p;
}

/* Sorts a server or client error number into what the caller can do about it. */
static int classify(unsigned err)
{
    switch (err) {
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_LOST_EXTENDED:
    case ER_CONNECTION_KILLED:
    case ER_SERVER_SHUTDOWN:
    case ER_QUERY_INTERRUPTED:
        return DB_DOWN;
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
        return DB_DUPLICATE;
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
        return DB_CONFLICT;
    default:
        return DB_ERROR;
    }
}

static int fail(struct db *db, unsigned err, const char *message)
{
    snprintf(db->error, sizeof db->error, "%u: %s", err, message);
    int result = classify(err);
    if (result == DB_DOWN)
        db->broken = true;
    return result;
}

static int conn_fail(struct db *db)
{
    return fail(db, mysql_errno(db->conn), mysql_error(db->conn));
}

static void stmt_free(struct db_stmt *st)
{
    free(st->own_sql);
    if (st->stmt)
        mysql_stmt_close(st->stmt);
    for (unsigned i = 0; i < st->col_count; i++)
        free(st->bufs[i]);
    free(st->params);
    free(st->ints);
    free(st->param_lengths);
    free(st->cols);
    free(st->kinds);
    free(st->values);
    free(st->bufs);
    free(st->lengths);
    free(st->nulls);
    free(st->truncated);
    free(st);
}

static void disconnect(struct db *db)
{
    for (int i = 0; i < db->cached; i++)
        stmt_free(db->cache[i]);
    db->cached = 0;
    if (db->conn)
        mysql_close(db->conn);
    db->conn = NULL;
    db->broken = false;
    db->trial = false;
    db->jurisdiction[0] = '\0'; /* a new connection starts with @jurisdiction NULL */
}

struct db *db_new(const struct config *cfg, enum db_account account)
{
    struct db *db = xcalloc(1, sizeof *db);
    db->cfg = cfg;
    db->account = account;
    return db;
}

void db_free(struct db *db)
{
    if (!db)
        return;
    disconnect(db);
    free(db);
}

const char *db_error(const struct db *db)
{
    return db->error;
}

static int connect_now(struct db *db)
{
    const struct config *cfg = db->cfg;
    bool admin = db->account == DB_ADMIN && cfg->db_admin_user[0];
    const char *user = admin ? cfg->db_admin_user : cfg->db_user;
    const char *password = admin ? cfg->db_admin_password : cfg->db_password;
    /* A request's statement that takes 30 s is stuck; the administrator's commands (migrate,
     * generate, imports) run single statements over the whole country, such as generate's
     * recount of the statistics, which took longer than that and lost the whole run. */
    unsigned timeout = (unsigned)cfg->db_connect_timeout, io_timeout = admin ? 3600 : 30;
    my_bool no = 0;
    /* Strict mode turns silent truncation into an error, and UTC keeps times comparable
     * across hosts whatever their local zone. */
    static const char init[] =
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
        "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";

    db->conn = mysql_init(NULL);
    if (!db->conn)
        out_of_memory();
    mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
    mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
    mysql_options(db->conn, MYSQL_OPT_RECONNECT, &no);
    mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(db->conn, MYSQL_INIT_COMMAND, init);
    bool socket = cfg->db_socket[0] != '\0';
    unsigned long flags = db->account == DB_ADMIN ? CLIENT_MULTI_STATEMENTS : 0;
    if (!mysql_real_connect(db->conn, socket ? NULL : cfg->db_host, user, password, cfg->db_name,
                            socket ? 0 : (unsigned)cfg->db_port,
                            socket ? cfg->db_socket : NULL, flags)) {
        snprintf(db->error, sizeof db->error, "cannot connect to MariaDB: %s",
                 mysql_error(db->conn));
        mysql_close(db->conn);
        db->conn = NULL;
        return DB_DOWN;
    }
    db->error[0] = '\0';
    return DB_OK;
}

static time_t now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec;
}

int db_ready(struct db *db)
{
    time_t now = now_seconds();
    /* A server restarted while this connection lay idle would fail the next request with 503;
     * a ping finds that out first and a new connection serves the request. Never within a
     * transaction: reconnecting there would run the rest of it outside the transaction. */
    if (db->conn && !db->broken && !db->in_transaction && now - db->last_used >= IDLE_CHECK &&
        mysql_ping(db->conn) != 0)
        db->broken = true;
    db->last_used = now;
    if (db->conn && !db->broken)
        return DB_OK;
    disconnect(db);
    db->in_transaction = false;
    return connect_now(db);
}

static const char SET_JURISDICTION[] = "SET @jurisdiction = ?";

int db_set_jurisdiction(struct db *db, const char *region)
{
    if (!region[0])
        region = NO_JURISDICTION; /* "" would be a prefix of everything */
    if (db->conn && !db->broken && strcmp(db->jurisdiction, region) == 0)
        return DB_OK;
    struct db_stmt *st = db_prepare(db, SET_JURISDICTION);
    if (!st)
        return db_failure(db);
    db_bind_str(st, region);
    int rc = db_execute(st);
    if (rc == DB_OK)
        snprintf(db->jurisdiction, sizeof db->jurisdiction, "%s", region);
    return rc;
}

int db_failure(struct db *db)
{
    return db->conn && !db->broken ? DB_ERROR : DB_DOWN;
}

int db_ping(struct db *db)
{
    int rc = db_ready(db);
    if (rc != DB_OK)
        return rc;
    if (mysql_ping(db->conn) != 0) {
        conn_fail(db);
        db->broken = true;
        return DB_DOWN;
    }
    return DB_OK;
}

int db_exec_script(struct db *db, const char *sql)
{
    int rc = db_ready(db);
    if (rc != DB_OK)
        return rc;
    if (mysql_real_query(db->conn, sql, strlen(sql)) != 0)
        return conn_fail(db);
    /* Drain every statement's result; the first failure stops the script. */
    for (;;) {
        MYSQL_RES *res = mysql_store_result(db->conn);
        if (res)
            mysql_free_result(res);
        int next = mysql_next_result(db->conn);
        if (next > 0)
            return conn_fail(db);
        if (next < 0)
            return DB_OK;
    }
}

static int simple_query(struct db *db, const char *sql)
{
    int rc = db_ready(db);
    if (rc != DB_OK)
        return rc;
    return mysql_real_query(db->conn, sql, strlen(sql)) == 0 ? DB_OK : conn_fail(db);
}

int db_begin(struct db *db)
{
    int rc = simple_query(db, "START TRANSACTION");
    db->in_transaction = rc == DB_OK;
    return rc;
}

/* The statistics triggers skip their counts while @stat_deferred is set (see
 * sql/migrations/016_statistics_triggers.sql): a transaction that is always rolled back need
 * not keep them, and they are a good part of its writes. */
int db_begin_trial(struct db *db)
{
    int rc = db_begin(db);
    if (rc == DB_OK && (rc = simple_query(db, "SET @stat_deferred = 1")) != DB_OK)
        db_rollback(db);
    db->trial = rc == DB_OK;
    return rc;
}

/* After a trial the connection keeps counting: when the variable cannot be cleared, the
 * connection is dropped (a new one starts without it) rather than left uncounting. */
static void end_trial(struct db *db)
{
    if (!db->trial)
        return;
    db->trial = false;
    if (db->conn && !db->broken && simple_query(db, "SET @stat_deferred = NULL") != DB_OK)
        db->broken = true;
}

int db_commit(struct db *db)
{
    if (db->trial) {
        db_rollback(db);
        snprintf(db->error, sizeof db->error, "a trial transaction is never committed");
        return DB_ERROR;
    }
    db->in_transaction = false;
    if (!db->conn || db->broken)
        return DB_DOWN;
    return mysql_commit(db->conn) == 0 ? DB_OK : conn_fail(db);
}

void db_rollback(struct db *db)
{
    db->in_transaction = false;
    if (db->conn && !db->broken && mysql_rollback(db->conn) != 0)
        conn_fail(db);
    end_trial(db);
}

static int stmt_fail(struct db_stmt *st)
{
    return fail(st->db, mysql_stmt_errno(st->stmt), mysql_stmt_error(st->stmt));
}

/* How a column is fetched. Integers and dates are fetched as values: asked for text, libmariadb
 * prints each one with sprintf, which was a sixth of a worker's CPU on a page of office holders.
 * They are written as text only when a caller asks for it, as libmariadb writes them. */
static enum column_kind column_kind_of(const MYSQL_FIELD *field)
{
    switch (field->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
        return COLUMN_INT;
    case MYSQL_TYPE_DATE:
        return COLUMN_DATE;
    default:
        return COLUMN_TEXT;
    }
}

/* Sets up the result buffers, once per statement. */
static void bind_columns(struct db_stmt *st)
{
    MYSQL_RES *meta = mysql_stmt_result_metadata(st->stmt);
    if (!meta)
        return;
    st->col_count = mysql_num_fields(meta);
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    st->cols = xcalloc(st->col_count, sizeof *st->cols);
    st->kinds = xcalloc(st->col_count, sizeof *st->kinds);
    st->values = xcalloc(st->col_count, sizeof *st->values);
    st->bufs = xcalloc(st->col_count, sizeof *st->bufs);
    st->lengths = xcalloc(st->col_count, sizeof *st->lengths);
    st->nulls = xcalloc(st->col_count, sizeof *st->nulls);
    st->truncated = xcalloc(st->col_count, sizeof *st->truncated);
    for (unsigned i = 0; i < st->col_count; i++) {
        MYSQL_BIND *col = &st->cols[i];
        st->bufs[i] = xcalloc(FIRST_COLUMN_BUFFER, 1);
        st->kinds[i] = column_kind_of(&fields[i]);
        if (st->kinds[i] == COLUMN_INT) {
            col->buffer_type = MYSQL_TYPE_LONGLONG;
            col->buffer = &st->values[i].number;
            col->is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
        } else if (st->kinds[i] == COLUMN_DATE) {
            col->buffer_type = MYSQL_TYPE_DATE;
            col->buffer = &st->values[i].date;
        } else {
            col->buffer_type = MYSQL_TYPE_STRING;
            col->buffer = st->bufs[i];
            col->buffer_length = FIRST_COLUMN_BUFFER - 1; /* room for a terminator */
        }
        col->length = &st->lengths[i];
        col->is_null = &st->nulls[i];
        col->error = &st->truncated[i];
    }
    mysql_free_result(meta);
}

static struct db_stmt *stmt_new(struct db *db, const char *sql)
{
    struct db_stmt *st = xcalloc(1, sizeof *st);
    st->db = db;
    st->sql = sql;
    st->stmt = mysql_stmt_init(db->conn);
    if (!st->stmt)
        out_of_memory();
    if (mysql_stmt_prepare(st->stmt, sql, strlen(sql)) != 0) {
        stmt_fail(st);
        stmt_free(st);
        return NULL;
    }
    st->param_count = mysql_stmt_param_count(st->stmt);
    st->params = xcalloc(st->param_count, sizeof *st->params);
    st->ints = xcalloc(st->param_count, sizeof *st->ints);
    st->param_lengths = xcalloc(st->param_count, sizeof *st->param_lengths);
    bind_columns(st);
    return st;
}

/* A statement found in the cache, ready to be bound again. */
static struct db_stmt *reuse(struct db_stmt *st)
{
    db_reset(st);
    st->bound = 0;
    return st;
}

/* Prepares sql and keeps the statement; own is the copy of a text made at run time. */
static struct db_stmt *prepare_new(struct db *db, const char *sql, char *own)
{
    struct db_stmt *st = stmt_new(db, sql);
    if (!st) {
        free(own);
        return NULL;
    }
    st->own_sql = own;
    if (db->cached == STMT_CACHE) {
        /* A full cache means many texts are made at run time; evict the oldest. */
        stmt_free(db->cache[0]);
        memmove(db->cache, db->cache + 1, (STMT_CACHE - 1) * sizeof *db->cache);
        db->cached--;
    }
    db->cache[db->cached++] = st;
    return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    if (db_ready(db) != DB_OK)
        return NULL;
    for (int i = 0; i < db->cached; i++)
        if (db->cache[i]->sql == sql)
            return reuse(db->cache[i]);
    return prepare_new(db, sql, NULL);
}

struct db_stmt *db_prepare_text(struct db *db, const char *sql)
{
    if (db_ready(db) != DB_OK)
        return NULL;
    for (int i = 0; i < db->cached; i++)
        if (db->cache[i]->own_sql && strcmp(db->cache[i]->own_sql, sql) == 0)
            return reuse(db->cache[i]);
    char *own = strdup(sql);
    if (!own)
        out_of_memory();
    return prepare_new(db, own, own);
}

static MYSQL_BIND *next_param(struct db_stmt *st)
{
    if (st->bound >= st->param_count) {
        /* More values than placeholders is a programming error; execute reports it. */
        st->bound++;
        return NULL;
    }
    MYSQL_BIND *b = &st->params[st->bound++];
    memset(b, 0, sizeof *b);
    return b;
}

void db_bind_text(struct db_stmt *st, const char *text, size_t len)
{
    MYSQL_BIND *b = next_param(st);
    if (!b)
        return;
    if (!text) {
        b->buffer_type = MYSQL_TYPE_NULL;
        return;
    }
    unsigned i = (unsigned)(b - st->params);
    st->param_lengths[i] = len;
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)text;
    b->buffer_length = len;
    b->length = &st->param_lengths[i];
}

void db_bind_str(struct db_stmt *st, const char *text)
{
    db_bind_text(st, text, text ? strlen(text) : 0);
}

void db_bind_int(struct db_stmt *st, long long value)
{
    MYSQL_BIND *b = next_param(st);
    if (!b)
        return;
    unsigned i = (unsigned)(b - st->params);
    st->ints[i] = value;
    b->buffer_type = MYSQL_TYPE_LONGLONG;
    b->buffer = &st->ints[i];
}

void db_bind_null(struct db_stmt *st)
{
    MYSQL_BIND *b = next_param(st);
    if (b)
        b->buffer_type = MYSQL_TYPE_NULL;
}

int db_execute(struct db_stmt *st)
{
    if (st->bound != st->param_count) {
        snprintf(st->db->error, sizeof st->db->error, "%u values bound for %u placeholders in: %.200s",
                 st->bound, st->param_count, st->sql);
        return DB_ERROR;
    }
    db_reset(st);
    if (st->param_count && mysql_stmt_bind_param(st->stmt, st->params))
        return stmt_fail(st);
    if (mysql_stmt_execute(st->stmt))
        return stmt_fail(st);
    /* INSERT ... RETURNING describes its result only once executed. */
    if (!st->col_count && mysql_stmt_field_count(st->stmt))
        bind_columns(st);
    if (st->col_count) {
        if (mysql_stmt_bind_result(st->stmt, st->cols) || mysql_stmt_store_result(st->stmt))
            return stmt_fail(st);
        st->has_result = true;
    }
    return DB_OK;
}

/* A column longer than its buffer: grow the buffer and fetch the column again. */
static int refetch_truncated(struct db_stmt *st)
{
    for (unsigned i = 0; i < st->col_count; i++) {
        if (!st->truncated[i])
            continue;
        free(st->bufs[i]);
        st->bufs[i] = xcalloc(st->lengths[i] + 1, 1);
        st->cols[i].buffer = st->bufs[i];
        st->cols[i].buffer_length = st->lengths[i];
        if (mysql_stmt_fetch_column(st->stmt, &st->cols[i], i, 0))
            return stmt_fail(st);
    }
    /* Later rows use the larger buffers too. */
    if (mysql_stmt_bind_result(st->stmt, st->cols))
        return stmt_fail(st);
    return DB_ROW;
}

int db_fetch(struct db_stmt *st)
{
    if (!st->has_result)
        return DB_DONE;
    int rc = mysql_stmt_fetch(st->stmt);
    if (rc == 0)
        return DB_ROW;
    if (rc == MYSQL_NO_DATA)
        return DB_DONE;
    if (rc == MYSQL_DATA_TRUNCATED)
        return refetch_truncated(st);
    return stmt_fail(st);
}

/* Writes the digits of n, at least width of them, so that they end at end; returns where they
 * start. */
static char *digits_before(char *end, unsigned long long n, long width)
{
    char *start = end;
    do {
        *--start = (char)('0' + n % 10);
        n /= 10;
    } while (n || end - start < width);
    return start;
}

/* The text of an integer or date column, in buf (FIRST_COLUMN_BUFFER bytes); its length. */
static size_t value_text(struct db_stmt *st, unsigned i, char *buf)
{
    char tmp[32], *end = tmp + sizeof tmp, *start;
    if (st->kinds[i] == COLUMN_DATE) {
        const MYSQL_TIME *t = &st->values[i].date;
        start = digits_before(end, t->day, 2);
        *--start = '-';
        start = digits_before(start, t->month, 2);
        *--start = '-';
        start = digits_before(start, t->year, 4);
    } else {
        long long n = st->values[i].number;
        bool negative = n < 0 && !st->cols[i].is_unsigned;
        start = digits_before(end, negative ? 0ULL - (unsigned long long)n : (unsigned long long)n, 1);
        if (negative)
            *--start = '-';
    }
    size_t len = (size_t)(end - start);
    memcpy(buf, start, len);
    buf[len] = '\0';
    return len;
}

const char *db_col_text(struct db_stmt *st, int col, size_t *len)
{
    unsigned i = (unsigned)col;
    if (i >= st->col_count || st->nulls[i]) {
        if (len)
            *len = 0;
        return NULL;
    }
    unsigned long n;
    if (st->kinds[i] != COLUMN_TEXT) {
        n = value_text(st, i, st->bufs[i]);
    } else {
        n = st->lengths[i];
        if (n > st->cols[i].buffer_length)
            n = st->cols[i].buffer_length;
        st->bufs[i][n] = '\0';
    }
    if (len)
        *len = n;
    return st->bufs[i];
}

long long db_col_int(struct db_stmt *st, int col)
{
    unsigned i = (unsigned)col;
    if (i < st->col_count && !st->nulls[i] && st->kinds[i] == COLUMN_INT)
        return st->values[i].number;
    const char *text = db_col_text(st, col, NULL);
    return text ? strtoll(text, NULL, 10) : 0;
}

bool db_col_null(struct db_stmt *st, int col)
{
    return (unsigned)col >= st->col_count || st->nulls[col];
}

long long db_affected(struct db_stmt *st)
{
    return (long long)mysql_stmt_affected_rows(st->stmt);
}

long long db_insert_id(struct db_stmt *st)
{
    return (long long)mysql_stmt_insert_id(st->stmt);
}

void db_reset(struct db_stmt *st)
{
    if (st->has_result)
        mysql_stmt_free_result(st->stmt);
    st->has_result = false;
}

int db_execute_row(struct db_stmt *st)
{
    int rc = db_execute(st);
    return rc == DB_OK ? db_fetch(st) : rc;
}

struct db_stmt *db_row_of(struct db *db, const char *sql, long long id, int *rc)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) {
        *rc = db_failure(db);
        return NULL;
    }
    db_bind_int(st, id);
    *rc = db_execute_row(st);
    return *rc == DB_ROW ? st : NULL;
}
