/* Cross-site request forgery, session and role checks, in front of every handler. */
#include "guard.h"

#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "directory.h"
#include "http.h"
#include "log.h"
#include "roles.h"
#include "session.h"
#include "session_cache.h"

static bool changes_state(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

const char *guard_own_origin(struct request *req)
{
    if (req->cfg && req->cfg->session_origin[0])
        return req->cfg->session_origin;
    /* nginx passes the Host without its port (Debian's fastcgi_params sets HTTP_HOST to
     * $host, on purpose), so the port comes from SERVER_PORT when it is not the default. */
    const char *scheme = req->scheme[0] ? req->scheme : "http";
    bool default_port = !req->port[0] ||
                        strcmp(req->port, strcmp(scheme, "https") == 0 ? "443" : "80") == 0;
    return arena_printf(req->arena, "%s://%s%s%s", scheme, req->host, default_port ? "" : ":",
                        default_port ? "" : req->port);
}

int guard_csrf(struct request *req)
{
    if (!changes_state(req->method))
        return 0;
    if (strcmp(req->fetch_site, "cross-site") == 0)
        return http_error(req, 403, "csrf_refused", NULL,
                          "requests from other sites may not change anything here");
    if (req->origin[0] && strcmp(req->origin, guard_own_origin(req)) != 0)
        return http_error(req, 403, "csrf_refused", NULL,
                          "the request comes from another origin (%.100s)", req->origin);
    if (!req->requested_with[0])
        return http_error(req, 403, "csrf_refused", NULL,
                          "send the header X-Requested-With with requests that change data");
    return 0;
}

static unsigned roles_needed(enum access access)
{
    switch (access) {
    case ACCESS_CLERK:
        return ROLE_CLERK;
    case ACCESS_APPROVER:
        return ROLE_APPROVER;
    case ACCESS_ADMIN:
        return ROLE_ADMIN;
    default:
        return 0;
    }
}

static struct session_origin origin_of(struct request *req)
{
    return (struct session_origin){req->remote_addr, req->user_agent, req->request_id};
}

/* The snapshot is older than refresh_interval: ask the directory again. Returns 0 to go on
 * (refreshed, or the directory could not say and the grace lasts), or an error status. */
static int refresh(struct request *req, struct session *s)
{
    struct identity fresh;
    enum auth_result r = directory_refresh(req->directory, req->arena, s->who.dn, &fresh);
    if (r == AUTH_OK) {
        int rc = session_update_identity(req->db, s, &fresh);
        return rc == DB_OK ? 0 : http_db_error(req, rc);
    }
    if (r == AUTH_UNAVAILABLE || r == AUTH_ERROR) {
        if (!s->past_grace)
            return 0; /* keep working on the snapshot through a short outage */
        http_header(req, "Retry-After", "30");
        return http_error(req, 503, "directory_unavailable", NULL,
                          "目录服务暂时无法访问，请稍后再试");
    }
    log_info("session %lld of %s ended: the directory says %s", s->id, s->who.username,
             auth_result_name(r));
    struct session_origin origin = origin_of(req);
    int rc = session_end(req->db, s->id, "", arena_printf(req->arena, "refused:%s",
                                                          auth_result_name(r)), s, &origin);
    if (rc != DB_OK && rc != DB_DONE)
        return http_db_error(req, rc);
    return http_error(req, 401, "unauthorized", NULL, "%s", auth_result_message(r));
}

int guard_session(struct request *req, enum access access)
{
    if (access == ACCESS_PUBLIC)
        return 0;
    const char *token = session_token_from_cookie(req->arena, req->cookie,
                                                  req->cfg->session_cookie);
    if (!token)
        return http_error(req, 401, "unauthorized", NULL, "请先登录");
    struct session *s = arena_zalloc(req->arena, sizeof *s);
    int rc;
    if (!session_cache_get(req->arena, token, req->cfg->session_cache_seconds, s)) {
        rc = session_find(req->db, req->arena, req->cfg, token, s);
        if (rc == DB_DONE)
            return http_error(req, 401, "unauthorized", NULL, "登录已过期，请重新登录");
        if (rc != DB_ROW)
            return http_db_error(req, rc);
        if (s->needs_refresh && (rc = refresh(req, s)) != 0)
            return rc;
        session_cache_put(token, s);
    }
    req->session = s;
    /* From here on the my_* views hold the caller's jurisdiction and nothing else. */
    if ((rc = db_set_jurisdiction(req->db, s->who.region)) != DB_OK)
        return http_db_error(req, rc);
    unsigned needed = roles_needed(access);
    if (needed && !(s->who.roles & needed))
        return http_error(req, 403, "forbidden", NULL, "your roles do not allow this (%s needed)",
                          role_name(needed));
    return 0;
}
