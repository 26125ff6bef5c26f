/* Applies the compiled-in migrations in order, each recorded, under a server-side lock. */
#include "migrate.h"

#include <stdio.h>

#include "db.h"

static const char CREATE_HISTORY[] =
    "CREATE TABLE IF NOT EXISTS schema_migration ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
static const char HISTORY_EXISTS[] =
    "SELECT COUNT(*) FROM information_schema.tables"
    " WHERE table_schema = DATABASE() AND table_name = 'schema_migration'";
static const char CURRENT_VERSION[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migration";
static const char RECORD[] = "INSERT INTO schema_migration (version, name) VALUES (?, ?)";
static const char LOCK[] = "SELECT GET_LOCK('jiceng_migrate', 60)";
static const char UNLOCK[] = "SELECT RELEASE_LOCK('jiceng_migrate')";

int migrate_known_version(void)
{
    return migration_count ? migrations[migration_count - 1].version : 0;
}

/* Runs a statement that answers one number. */
static int query_number(struct db *db, const char *sql, long long *value)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st)
        return db_failure(db);
    int rc = db_execute(st);
    if (rc == DB_OK)
        rc = db_fetch(st) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        *value = db_col_int(st, 0);
    db_reset(st);
    return rc;
}

int migrate_current_version(struct db *db, int *version)
{
    long long exists = 0, v = 0;
    int rc = query_number(db, HISTORY_EXISTS, &exists);
    if (rc == DB_OK && exists)
        rc = query_number(db, CURRENT_VERSION, &v);
    *version = (int)v;
    return rc;
}

static int apply(struct db *db, const struct migration *m, FILE *out)
{
    fprintf(out, "applying %03d %s\n", m->version, m->name);
    /* DDL commits implicitly in MariaDB, so a migration is recorded only once it has run;
     * each migration file is written to be one coherent step. */
    int rc = db_exec_script(db, m->sql);
    if (rc != DB_OK)
        return rc;
    struct db_stmt *st = db_prepare(db, RECORD);
    if (!st)
        return DB_ERROR;
    db_bind_int(st, m->version);
    db_bind_str(st, m->name);
    return db_execute(st);
}

static int migrate_locked(struct db *db, FILE *out, char *err, size_t errlen)
{
    int current = 0, known = migrate_known_version();
    if (db_exec_script(db, CREATE_HISTORY) != DB_OK ||
        migrate_current_version(db, &current) != DB_OK) {
        snprintf(err, errlen, "reading the schema version: %s", db_error(db));
        return -1;
    }
    if (current > known) {
        snprintf(err, errlen,
                 "the database schema is version %d, newer than this program knows (%d): "
                 "run a newer jiceng",
                 current, known);
        return -1;
    }
    for (int i = 0; i < migration_count; i++) {
        if (migrations[i].version <= current)
            continue;
        if (apply(db, &migrations[i], out) != DB_OK) {
            snprintf(err, errlen, "migration %03d %s failed: %s", migrations[i].version,
                     migrations[i].name, db_error(db));
            return -1;
        }
    }
    fprintf(out, "schema is at version %d\n", known);
    return 0;
}

int migrate_run(struct db *db, FILE *out, char *err, size_t errlen)
{
    long long locked = 0;
    if (query_number(db, LOCK, &locked) != DB_OK || locked != 1) {
        snprintf(err, errlen, "cannot take the migration lock: %s",
                 db_error(db)[0] ? db_error(db) : "another migration is running");
        return -1;
    }
    int rc = migrate_locked(db, out, err, errlen);
    long long ignored;
    query_number(db, UNLOCK, &ignored);
    return rc;
}
