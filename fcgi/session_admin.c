/* An admin's view of the sessions in her jurisdiction: GET /api/v1/sessions and
 * DELETE /api/v1/sessions/{id} (revoke). A session outside the jurisdiction does not exist. */
#include <stdlib.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "session.h"
#include "session_cache.h"

enum { MAX_LISTED = 500 };

static const char LIVE_SESSIONS[] =
    "SELECT id, username, display_name, region, address, user_agent,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(last_seen_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM session WHERE region LIKE CONCAT(?, '%') AND ended_at IS NULL"
    " AND expires_at > NOW(3) AND last_seen_at > NOW(3) - INTERVAL ? MINUTE"
    " ORDER BY last_seen_at DESC, id DESC LIMIT ?";

int sessions_list(struct request *req)
{
    struct db_stmt *st = db_prepare(req->db, LIVE_SESSIONS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, req->session->who.region);
    db_bind_int(st, req->cfg->session_idle_minutes);
    db_bind_int(st, MAX_LISTED);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    json_t *items = json_array();
    while ((rc = db_fetch(st)) == DB_ROW) {
        long long id = db_col_int(st, 0);
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
                             (json_int_t)id, "username", db_col_text(st, 1, NULL),
                             "display_name", db_col_text(st, 2, NULL), "region",
                             db_col_text(st, 3, NULL), "address", db_col_text(st, 4, NULL),
                             "user_agent", db_col_text(st, 5, NULL), "created_at",
                             db_col_text(st, 6, NULL), "last_seen_at", db_col_text(st, 7, NULL),
                             "expires_at", db_col_text(st, 8, NULL), "current",
                             id == req->session->id));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o}", "items", items));
}

int session_revoke(struct request *req)
{
    const char *text = http_path_param(req, "id");
    char *end;
    long long id = strtoll(text, &end, 10);
    if (*end || id <= 0 || text[0] == '+' || text[0] == ' ')
        return http_error(req, 400, "invalid_parameter", "id", "a session id is a positive number");
    struct session_origin origin = {req->remote_addr, req->user_agent, req->request_id};
    session_cache_forget(id);
    int rc = session_end(req->db, id, req->session->who.region, "revoked", req->session, &origin);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "id", "no live session %lld in your jurisdiction", id);
    return rc == DB_OK ? http_no_content(req) : http_db_error(req, rc);
}
