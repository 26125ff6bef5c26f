/* Session rows: creating them with a fresh token, finding them by the token's hash, refreshing
 * their identity snapshot and ending them. */
#include "session.h"

#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "arena.h"
#include "audit.h"
#include "base64url.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "roles.h"
#include "utf8.h"

static const char INSERT_SESSION[] =
    "INSERT INTO session (token_hash, username, dn, display_name, region, roles, address,"
    " user_agent, created_at, last_seen_at, refreshed_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3), NOW(3), NOW(3) + INTERVAL ? MINUTE)";

static const char SESSION_EXPIRY[] =
    "SELECT DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ') FROM session WHERE id = ?";

/* Live means: not ended, not past the absolute timeout, seen within the idle timeout. */
static const char FIND_SESSION[] =
    "SELECT id, username, dn, display_name, region, roles,"
    " DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " refreshed_at < NOW(3) - INTERVAL ? MINUTE,"
    " refreshed_at < NOW(3) - INTERVAL ? MINUTE,"
    " last_seen_at < NOW(3) - INTERVAL 1 MINUTE"
    " FROM session WHERE token_hash = ? AND ended_at IS NULL AND expires_at > NOW(3)"
    " AND last_seen_at > NOW(3) - INTERVAL ? MINUTE";

/* Once a minute is precise enough for a timeout counted in minutes, and spares a write per
 * request. */
static const char TOUCH_SESSION[] = "UPDATE session SET last_seen_at = NOW(3) WHERE id = ?";

static const char UPDATE_IDENTITY[] =
    "UPDATE session SET dn = ?, display_name = ?, region = ?, roles = ?, refreshed_at = NOW(3)"
    " WHERE id = ?";

static const char END_SESSION[] =
    "UPDATE session SET ended_at = NOW(3), end_reason = ? WHERE id = ? AND ended_at IS NULL"
    " AND region LIKE CONCAT(?, '%')";

static void token_hash(const char *token, unsigned char hash[SHA256_DIGEST_SIZE])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(token), (const uint8_t *)token);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, hash);
}

/* 32 bytes from the kernel's CSPRNG, in base64url without padding. */
static void new_token(struct arena *a, char *token)
{
    uint8_t random[32];
    if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random) {
        log_error("getrandom failed; refusing to make a session token");
        out_of_memory(); /* there is no safe way on: stop */
    }
    memcpy(token, base64url_encode(a, random, sizeof random), SESSION_TOKEN_LENGTH + 1);
}

static bool token_shaped(const char *s, size_t len)
{
    if (len != SESSION_TOKEN_LENGTH)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", s[i]) ||
            s[i] == '\0')
            return false;
    return true;
}

const char *session_token_from_cookie(struct arena *a, const char *header, const char *name)
{
    size_t name_len = strlen(name);
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t;");
        size_t len = strcspn(p, ";");
        if (len > name_len && p[name_len] == '=' && strncmp(p, name, name_len) == 0) {
            const char *value = p + name_len + 1;
            size_t value_len = len - name_len - 1;
            while (value_len && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
                value_len--;
            if (token_shaped(value, value_len))
                return arena_strndup(a, value, value_len);
        }
        p += len;
    }
    return NULL;
}

static json_t *identity_json(const struct identity *who)
{
    char roles[64];
    roles_format(who->roles, roles, sizeof roles);
    return json_pack("{s:s, s:s, s:s, s:s}", "username", who->username, "display_name",
                     who->display_name, "region", who->region, "roles", roles);
}

static int insert_session(struct db *db, const struct config *cfg, const struct identity *who,
                          const struct session_origin *origin, const char *token, long long *id)
{
    unsigned char hash[SHA256_DIGEST_SIZE];
    token_hash(token, hash);
    struct db_stmt *st = db_prepare(db, INSERT_SESSION);
    if (!st)
        return db_failure(db);
    /* Free text from the client: kept only when it is UTF-8, cut to the column. */
    const char *agent = origin->user_agent;
    size_t agent_len = strlen(agent);
    agent_len = utf8_valid(agent, agent_len) ? utf8_fit(agent, agent_len, 256) : 0;
    db_bind_text(st, (const char *)hash, sizeof hash);
    db_bind_str(st, who->username);
    db_bind_str(st, who->dn);
    db_bind_str(st, who->display_name);
    db_bind_str(st, who->region);
    db_bind_int(st, who->roles);
    db_bind_str(st, origin->address);
    db_bind_text(st, agent, agent_len);
    db_bind_int(st, cfg->session_absolute_minutes);
    int rc = db_execute(st);
    if (rc == DB_OK)
        *id = db_insert_id(st);
    return rc;
}

static int read_expiry(struct db *db, struct arena *a, struct session *s)
{
    struct db_stmt *st = db_prepare(db, SESSION_EXPIRY);
    if (!st)
        return db_failure(db);
    db_bind_int(st, s->id);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW)
        s->expires_at = arena_strdup(a, db_col_text(st, 0, NULL));
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int session_create(struct db *db, struct arena *a, const struct config *cfg,
                   const struct identity *who, const struct session_origin *origin, char *token,
                   struct session *out)
{
    new_token(a, token);
    memset(out, 0, sizeof *out);
    out->who = *who;
    int rc = db_begin(db);
    if (rc != DB_OK)
        return rc;
    rc = insert_session(db, cfg, who, origin, token, &out->id);
    if (rc == DB_OK) {
        json_t *after = identity_json(who);
        struct audit_entry e = {
            .actor = who->username, .actor_region = who->region, .region = who->region,
            .action = "login", .entity = "session",
            .entity_id = arena_printf(a, "%lld", out->id), .after = after,
            .request_id = origin->request_id, .address = origin->address};
        rc = audit_write(db, &e);
        json_decref(after);
    }
    if (rc == DB_OK)
        rc = db_commit(db);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return read_expiry(db, a, out);
}

static int touch(struct db *db, long long id)
{
    struct db_stmt *st = db_prepare(db, TOUCH_SESSION);
    if (!st)
        return db_failure(db);
    db_bind_int(st, id);
    return db_execute(st);
}

static void read_session(struct db_stmt *st, struct arena *a, struct session *out)
{
    out->id = db_col_int(st, 0);
    out->who.username = arena_strdup(a, db_col_text(st, 1, NULL));
    out->who.dn = arena_strdup(a, db_col_text(st, 2, NULL));
    out->who.display_name = arena_strdup(a, db_col_text(st, 3, NULL));
    snprintf(out->who.region, sizeof out->who.region, "%s", db_col_text(st, 4, NULL));
    out->who.level = region_level_of(out->who.region);
    out->who.roles = (unsigned)db_col_int(st, 5);
    out->expires_at = arena_strdup(a, db_col_text(st, 6, NULL));
    out->needs_refresh = db_col_int(st, 7) != 0;
    out->past_grace = db_col_int(st, 8) != 0;
}

int session_find(struct db *db, struct arena *a, const struct config *cfg, const char *token,
                 struct session *out)
{
    memset(out, 0, sizeof *out);
    unsigned char hash[SHA256_DIGEST_SIZE];
    token_hash(token, hash);
    struct db_stmt *st = db_prepare(db, FIND_SESSION);
    if (!st)
        return db_failure(db);
    db_bind_int(st, cfg->session_refresh_minutes);
    db_bind_int(st, cfg->session_refresh_minutes + cfg->session_outage_minutes);
    db_bind_text(st, (const char *)hash, sizeof hash);
    db_bind_int(st, cfg->session_idle_minutes);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    rc = db_fetch(st);
    if (rc != DB_ROW)
        return rc;
    read_session(st, a, out);
    bool stale_seen = db_col_int(st, 9) != 0;
    db_reset(st);
    if (stale_seen && (rc = touch(db, out->id)) != DB_OK)
        return rc;
    return DB_ROW;
}

int session_update_identity(struct db *db, struct session *s, const struct identity *fresh)
{
    struct db_stmt *st = db_prepare(db, UPDATE_IDENTITY);
    if (!st)
        return db_failure(db);
    db_bind_str(st, fresh->dn);
    db_bind_str(st, fresh->display_name);
    db_bind_str(st, fresh->region);
    db_bind_int(st, fresh->roles);
    db_bind_int(st, s->id);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    const char *username = s->who.username; /* a refresh does not know the login name */
    s->who = *fresh;
    s->who.username = username;
    s->needs_refresh = s->past_grace = false;
    return DB_OK;
}

int session_end(struct db *db, long long id, const char *region, const char *reason,
                const struct session *actor, const struct session_origin *origin)
{
    char entity_id[24];
    snprintf(entity_id, sizeof entity_id, "%lld", id);
    int rc = db_begin(db);
    if (rc != DB_OK)
        return rc;
    struct db_stmt *st = db_prepare(db, END_SESSION);
    if (!st) {
        rc = db_failure(db);
        db_rollback(db);
        return rc;
    }
    db_bind_str(st, reason);
    db_bind_int(st, id);
    db_bind_str(st, region);
    rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) == 0)
        rc = DB_DONE;
    if (rc == DB_OK) {
        json_t *after = json_pack("{s:s}", "end_reason", reason);
        struct audit_entry e = {
            .actor = actor->who.username, .actor_region = actor->who.region,
            .region = actor->who.region, .action = "end", .entity = "session",
            .entity_id = entity_id, .after = after, .request_id = origin->request_id,
            .address = origin->address};
        rc = audit_write(db, &e);
        json_decref(after);
    }
    if (rc == DB_OK)
        rc = db_commit(db);
    if (rc != DB_OK)
        db_rollback(db);
    return rc;
}
