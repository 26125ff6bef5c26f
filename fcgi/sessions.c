/* Logging in and out, who am I, and the check nginx's auth_request asks for other applications:
 * POST and DELETE /api/v1/session, GET /api/v1/me, GET /api/v1/auth/check. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "directory.h"
#include "handlers.h"
#include "http.h"
#include "roles.h"
#include "session.h"
#include "session_cache.h"
#include "throttle.h"

enum { MAX_USERNAME = 256, MAX_PASSWORD = 1024 };

static const char REGION_NAME[] = "SELECT name FROM my_region WHERE code = ?";

/* The Set-Cookie value; an empty token clears the cookie. No Max-Age on a live one: the cookie
 * dies with the browser, and the server ends the session on its own timeouts anyway. */
static const char *cookie(struct request *req, const char *token)
{
    return arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
                        req->cfg->session_cookie, token, req->cfg->session_cookie_secure ?
                        "; Secure" : "", token[0] ? "" : "; Max-Age=0");
}

static json_t *roles_json(unsigned roles)
{
    json_t *list = json_array();
    for (unsigned bit = 1; bit & ROLE_ALL; bit <<= 1)
        if (roles & bit)
            json_array_append_new(list, json_string(role_name(bit)));
    return list;
}

/* The identity as the UI shows it; region_name is null for a code missing from the table. */
static int me_json(struct request *req, const struct session *s, json_t **out)
{
    struct db_stmt *st = db_prepare(req->db, REGION_NAME);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, s->who.region);
    int rc = db_execute(st);
    json_t *region_name = json_null();
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW)
        region_name = json_string(db_col_text(st, 0, NULL));
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE) {
        json_decref(region_name);
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:i}", "username", s->who.username,
                     "display_name", s->who.display_name, "region", s->who.region,
                     "region_name", region_name, "level", region_level_name(s->who.level),
                     "roles", roles_json(s->who.roles), "expires_at", s->expires_at,
                     "idle_timeout_minutes", req->cfg->session_idle_minutes);
    return DB_OK;
}

/* A string member of the body, 1 to max bytes of UTF-8; NULL with the 400 set otherwise. */
static const char *credential(struct request *req, const char *name, size_t max)
{
    json_t *value = json_is_object(req->json) ? json_object_get(req->json, name) : NULL;
    if (!json_is_string(value) || json_string_length(value) == 0) {
        http_error(req, 400, "required", name, "%s is required", name);
        return NULL;
    }
    if (json_string_length(value) > max || strlen(json_string_value(value)) != json_string_length(value)) {
        http_error(req, 400, "invalid", name, "%s must be at most %zu bytes of text", name, max);
        return NULL;
    }
    return json_string_value(value);
}

/* The answer to a login the directory did not accept. */
static int refused(struct request *req, enum auth_result r)
{
    static const struct {
        enum auth_result result;
        int status;
        const char *code;
    } answers[] = {
        {AUTH_INVALID, 401, "invalid_credentials"},
        {AUTH_LOCKED, 403, "account_locked"},
        {AUTH_DISABLED, 403, "account_disabled"},
        {AUTH_EXPIRED, 403, "account_expired"},
        {AUTH_PASSWORD_EXPIRED, 403, "password_expired"},
        {AUTH_NO_ROLE, 403, "no_role"},
        {AUTH_NO_REGION, 403, "no_region"},
        {AUTH_UNAVAILABLE, 503, "unavailable"},
        {AUTH_ERROR, 503, "unavailable"},
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
        if (answers[i].result == r) {
            if (answers[i].status == 503)
                http_header(req, "Retry-After", "30");
            return http_error(req, answers[i].status, answers[i].code, NULL, "%s",
                              auth_result_message(r));
        }
    return http_error(req, 500, NULL, NULL, "%s", auth_result_message(r));
}

/* A login from a browser that still holds a live session ends that one: a new token at every
 * login, and no forgotten sessions behind it. */
static int end_previous(struct request *req)
{
    const char *token = session_token_from_cookie(req->arena, req->cookie,
                                                  req->cfg->session_cookie);
    struct session old;
    if (!token)
        return DB_OK;
    int rc = session_find(req->db, req->arena, req->cfg, token, &old);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    struct session_origin origin = {req->remote_addr, req->user_agent, req->request_id};
    session_cache_forget(old.id);
    rc = session_end(req->db, old.id, "", "replaced", &old, &origin);
    return rc == DB_DONE ? DB_OK : rc;
}

int session_post(struct request *req)
{
    const char *username = credential(req, "username", MAX_USERNAME);
    const char *password = username ? credential(req, "password", MAX_PASSWORD) : NULL;
    if (!password)
        return req->status;
    long retry_after;
    int rc = throttle_check(req->db, username, req->remote_addr, &retry_after);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    if (retry_after > 0) {
        http_header(req, "Retry-After", arena_printf(req->arena, "%ld", retry_after));
        return http_error(req, 429, "too_many_attempts", NULL,
                          "登录失败次数过多，请 %ld 分钟后再试", (retry_after + 59) / 60);
    }

    struct identity who;
    enum auth_result r = directory_login(req->directory, req->arena, username, password, &who);
    if (r == AUTH_INVALID && (rc = throttle_failure(req->db, req->cfg, username,
                                                    req->remote_addr)) != DB_OK)
        return http_db_error(req, rc);
    if (r != AUTH_OK)
        return refused(req, r);

    if ((rc = throttle_clear(req->db, username, req->remote_addr)) != DB_OK ||
        (rc = end_previous(req)) != DB_OK)
        return http_db_error(req, rc);
    char token[SESSION_TOKEN_LENGTH + 1];
    struct session s;
    struct session_origin origin = {req->remote_addr, req->user_agent, req->request_id};
    rc = session_create(req->db, req->arena, req->cfg, &who, &origin, token, &s);
    json_t *me = NULL;
    if (rc == DB_OK)
        rc = db_set_jurisdiction(req->db, who.region); /* for the region name in me_json */
    if (rc != DB_OK || (rc = me_json(req, &s, &me)) != DB_OK)
        return http_db_error(req, rc);
    http_header(req, "Set-Cookie", cookie(req, token));
    return http_json(req, 201, json_pack("{s:o}", "user", me));
}

int session_delete(struct request *req)
{
    struct session_origin origin = {req->remote_addr, req->user_agent, req->request_id};
    session_cache_forget(req->session->id);
    int rc = session_end(req->db, req->session->id, "", "logout", req->session, &origin);
    if (rc != DB_OK && rc != DB_DONE)
        return http_db_error(req, rc);
    http_header(req, "Set-Cookie", cookie(req, ""));
    return http_no_content(req);
}

int me_get(struct request *req)
{
    json_t *me;
    int rc = me_json(req, req->session, &me);
    return rc == DB_OK ? http_json(req, 200, me) : http_db_error(req, rc);
}

/* Header values are ASCII: names and display names travel percent-encoded (RFC 3986
 * unreserved characters stay as they are), for the upstream to decode. */
static const char *percent_encoded(struct arena *a, const char *s)
{
    char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return out;
}

int auth_check(struct request *req)
{
    const struct identity *who = &req->session->who;
    char *roles = arena_alloc(req->arena, 64);
    roles_format(who->roles, roles, 64);
    http_header(req, "X-Jiceng-User", percent_encoded(req->arena, who->username));
    http_header(req, "X-Jiceng-Name", percent_encoded(req->arena, who->display_name));
    http_header(req, "X-Jiceng-Region", who->region);
    http_header(req, "X-Jiceng-Level", region_level_name(who->level));
    http_header(req, "X-Jiceng-Roles", roles);
    return http_no_content(req);
}
