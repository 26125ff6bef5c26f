/* Counting failed logins per username and address. */
#include "throttle.h"

#include "config.h"
#include "db.h"

static const char LOCK_LEFT[] =
    "SELECT CEIL(TIMESTAMPDIFF(MICROSECOND, NOW(3), locked_until) / 1000000) FROM login_throttle"
    " WHERE username = ? AND address = ? AND locked_until > NOW(3)";

/* One statement, so two workers counting at once cannot lose a failure. MariaDB evaluates the
 * assignments left to right, each seeing the ones before: window_start compares against the
 * old value, and locked_until sees the new count. */
static const char COUNT_FAILURE[] =
    "INSERT INTO login_throttle (username, address, failures, window_start)"
    " VALUES (?, ?, 1, NOW(3))"
    " ON DUPLICATE KEY UPDATE"
    " failures = IF(window_start < NOW(3) - INTERVAL ? MINUTE, 1, failures + 1),"
    " window_start = IF(failures = 1, NOW(3), window_start),"
    " locked_until = IF(failures >= ?, NOW(3) + INTERVAL ? MINUTE, locked_until)";

static const char CLEAR[] = "DELETE FROM login_throttle WHERE username = ? AND address = ?";

int throttle_check(struct db *db, const char *username, const char *address, long *retry_after)
{
    *retry_after = 0;
    struct db_stmt *st = db_prepare(db, LOCK_LEFT);
    if (!st)
        return db_failure(db);
    db_bind_str(st, username);
    db_bind_str(st, address);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    rc = db_fetch(st);
    if (rc == DB_ROW) {
        long left = (long)db_col_int(st, 0);
        *retry_after = left > 0 ? left : 1;
    }
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int throttle_failure(struct db *db, const struct config *cfg, const char *username,
                     const char *address)
{
    struct db_stmt *st = db_prepare(db, COUNT_FAILURE);
    if (!st)
        return db_failure(db);
    db_bind_str(st, username);
    db_bind_str(st, address);
    db_bind_int(st, cfg->login_window_minutes);
    db_bind_int(st, cfg->login_max_failures);
    db_bind_int(st, cfg->login_lockout_minutes);
    return db_execute(st);
}

int throttle_clear(struct db *db, const char *username, const char *address)
{
    struct db_stmt *st = db_prepare(db, CLEAR);
    if (!st)
        return db_failure(db);
    db_bind_str(st, username);
    db_bind_str(st, address);
    return db_execute(st);
}
