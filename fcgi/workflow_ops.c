/* Operations on a request beside deciding it: POST /api/v1/requests/{id}/comments, .../copies
 * (抄送), .../urge (催办, at most once a day), .../transfer (the waiting step to another
 * decider of the same level and role); and GET /api/v1/requests, the caller's submissions or
 * the requests copied to her. Each writes its history event and audit entry in one
 * transaction; none but the transfer changes the request's version, so an approver's open
 * page stays valid when someone comments or urges. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "directory.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "region_code.h"
#include "roles.h"
#include "session.h"
#include "workflow_private.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200 };

static const char INSERT_COPY[] =
    "INSERT INTO my_workflow_copy (request_id, username, region, copied_by, copied_at)"
    " VALUES (?, ?, ?, ?, NOW(3))";

/* The row is locked by the caller; the condition keeps urging to once a day. */
static const char URGE[] =
    "UPDATE my_workflow_request SET urged_at = NOW(3)"
    " WHERE id = ? AND (urged_at IS NULL OR urged_at <= NOW(3) - INTERVAL 1 DAY)";

static const char TRANSFER[] =
    "UPDATE my_workflow_request SET pending_assignee = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ? AND version = ?";

/* STRAIGHT_JOIN: from the index whose order is the page's (the originator's requests, the
 * copies to the user), never from the organisations of the jurisdiction. */
#define LIST_COLUMNS                                                                           \
    "r.id, r.kind, r.subject_id, r.organisation_id, o.name, r.region, r.state,"               \
    " r.current_step, r.version, r.originator, " WF_TIME("r.created_at")                      \
    ", " WF_TIME("r.pending_since") ", " WF_SUBJECT_NAME
static const char SUBMITTED_PAGE[] =
    "SELECT STRAIGHT_JOIN " LIST_COLUMNS " FROM my_workflow_request r"
    " JOIN my_organisation o ON o.id = r.organisation_id" WF_SUBJECT_JOIN
    " WHERE r.originator = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?";
static const char COPIED_PAGE[] =
    "SELECT STRAIGHT_JOIN " LIST_COLUMNS " FROM my_workflow_copy c"
    " JOIN my_workflow_request r ON r.id = c.request_id"
    " JOIN my_organisation o ON o.id = r.organisation_id" WF_SUBJECT_JOIN
    " WHERE c.username = ? AND c.request_id < ? ORDER BY c.request_id DESC LIMIT ?";

struct op {
    long long id, version;
    int step;
    const char *comment, *to_user;
    struct workflow_request r;
};

/* Reads the path's id and the comment (required when comment_needed). 0 or an error status. */
static int op_read(struct request *req, struct fields *f, struct op *o, bool comment_needed)
{
    *o = (struct op){.id = cadre_path_id(req, "id")};
    if (!o->id || fields_begin(f, req) != 0)
        return req->status;
    o->comment = field_text(f, "comment", 1, 1000, comment_needed ? REQUIRED : OPTIONAL);
    return 0;
}

/* Loads the request for an operation that does not name a version. 0, or 404. */
static int op_load(struct request *req, struct op *o)
{
    int rc = workflow_load(req, o->id, true, &o->r);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "id", "no request %lld in your jurisdiction", o->id);
    return rc == DB_ROW ? 0 : http_db_error(req, rc);
}

static int record(struct request *req, struct op *o, const char *action)
{
    int rc = wf_record(req, &o->r, NULL,
                       &(struct wf_event){.action = action, .step = o->r.current_step,
                                          .to_step = -1, .to_user = o->to_user,
                                          .comment = o->comment});
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Comments and urging */

static int comment_step(struct request *req, void *data)
{
    struct op *o = data;
    int status = op_load(req, o);
    return status ? status : record(req, o, "comment");
}

int workflow_comment(struct request *req)
{
    struct fields f;
    struct op o;
    if (op_read(req, &f, &o, true) != 0 || fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, comment_step, &o);
    return status ? status : wf_respond(req, 201, o.id);
}

static int urge_step(struct request *req, void *data)
{
    struct op *o = data;
    int status = op_load(req, o);
    if (status)
        return status;
    if (!wf_originating_office(req, &o->r))
        return http_error(req, 403, "forbidden", NULL,
                          "only a clerk of the office that made the request urges it");
    if (strcmp(o->r.state, "in_progress") != 0)
        return http_error(req, 409, "not_pending", NULL, "the request is %s: no step waits",
                          o->r.state);
    struct db_stmt *st = db_prepare(req->db, URGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, o->id);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    if (db_affected(st) != 1)
        return http_error(req, 409, "urged_recently", NULL,
                          "a request is urged at most once a day");
    return record(req, o, "urge");
}

int workflow_urge(struct request *req)
{
    struct fields f;
    struct op o;
    if (op_read(req, &f, &o, false) != 0 || fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, urge_step, &o);
    return status ? status : wf_respond(req, 200, o.id);
}

/* ------------------------------------------------------------------------------------------ */
/* Copies and transfers: to a user the directory knows */

/* Looks up to_user in the directory. 0 with *who filled, else 422 (field to_user) or 503. */
static int colleague(struct request *req, const char *to_user, struct identity *who)
{
    enum auth_result r = directory_lookup(req->directory, req->arena, to_user, who);
    if (r == AUTH_UNAVAILABLE || r == AUTH_ERROR) {
        http_header(req, "Retry-After", "30");
        return http_error(req, 503, "directory_unavailable", NULL,
                          "目录服务暂时无法访问，请稍后再试");
    }
    if (r != AUTH_OK)
        return http_error(req, 422, "unknown_user", "to_user",
                          "to_user: no active user %.100s in the directory", to_user);
    return 0;
}

static int copy_step(struct request *req, void *data)
{
    struct op *o = data;
    int status = op_load(req, o);
    struct identity who;
    if (status || (status = colleague(req, o->to_user, &who)) != 0)
        return status;
    if (!region_within(o->r.region, who.region))
        return http_error(req, 422, "outside_jurisdiction", "to_user",
                          "to_user: the organisation is outside %s's jurisdiction", o->to_user);
    struct db_stmt *st = db_prepare(req->db, INSERT_COPY);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, o->id);
    db_bind_str(st, o->to_user);
    db_bind_str(st, o->r.region);
    db_bind_str(st, req->session->who.username);
    int rc = db_execute(st);
    if (rc == DB_DUPLICATE)
        return http_error(req, 409, "duplicate", "to_user", "to_user: copied to %s already",
                          o->to_user);
    return rc == DB_OK ? record(req, o, "copy") : http_db_error(req, rc);
}

int workflow_copy(struct request *req)
{
    struct fields f;
    struct op o;
    if (op_read(req, &f, &o, false) != 0)
        return req->status;
    o.to_user = field_text(&f, "to_user", 1, 256, REQUIRED);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, copy_step, &o);
    return status ? status : wf_respond(req, 201, o.id);
}

static int transfer_step(struct request *req, void *data)
{
    struct op *o = data;
    struct workflow_request *r = &o->r;
    int status = wf_load_for_action(req, o->id, o->version, r);
    if (status)
        return status;
    if (strcmp(r->state, "in_progress") != 0 || o->step != r->current_step)
        return http_error(req, 409, "not_current_step", "step",
                          "step %d is not the one waiting", o->step);
    struct wf_step s;
    int rc = wf_step_load(req, r->id, r->current_step, &s);
    if (rc != DB_ROW)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    struct identity who;
    if ((status = wf_may_decide(req, r, &s)) != 0 ||
        (status = colleague(req, o->to_user, &who)) != 0)
        return status;
    unsigned role = 0;
    roles_parse(s.role, &role);
    if (strcmp(who.region, s.acting_region) != 0 || !(who.roles & role) ||
        strcmp(o->to_user, r->originator) == 0 ||
        strcmp(o->to_user, req->session->who.username) == 0)
        return http_error(req, 422, "not_eligible", "to_user",
                          "to_user: the step goes to another %s of region %s who did not make "
                          "the request", s.role, s.acting_region);
    struct db_stmt *st = db_prepare(req->db, TRANSFER);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, o->to_user);
    db_bind_int(st, r->id);
    db_bind_int(st, r->version);
    if ((rc = db_execute(st)) == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT;
    if (rc != DB_OK)
        return http_db_error(req, rc);
    r->version++;
    return record(req, o, "transfer");
}

int workflow_transfer(struct request *req)
{
    struct fields f;
    struct op o;
    if (op_read(req, &f, &o, false) != 0)
        return req->status;
    o.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    o.step = (int)field_int(&f, "step", 1, 9, 0, REQUIRED);
    o.to_user = field_text(&f, "to_user", 1, 256, REQUIRED);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, transfer_step, &o);
    return status ? status : wf_respond(req, 200, o.id);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/requests?list=submitted|copied */

static json_t *list_item(struct db_stmt *st)
{
    return json_pack("{s:I, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int(st, 0), "kind", json_column_text(st, 1),
                     "subject_id", (json_int_t)db_col_int(st, 2), "organisation_id",
                     (json_int_t)db_col_int(st, 3), "organisation_name", json_column_text(st, 4),
                     "region", json_column_text(st, 5), "state", json_column_text(st, 6),
                     "current_step", json_column_int(st, 7), "version",
                     (json_int_t)db_col_int(st, 8), "originator", json_column_text(st, 9),
                     "created_at", json_column_text(st, 10), "pending_since",
                     json_column_text(st, 11), "subject_name", json_column_text(st, 12));
}

int workflow_requests_list(struct request *req)
{
    const char *list = http_query(req, "list");
    long limit, before;
    if (!list || (strcmp(list, "submitted") != 0 && strcmp(list, "copied") != 0))
        return http_error(req, 400, "invalid_parameter", "list",
                          "list: must be submitted (mine) or copied (to me)");
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0 ||
        http_query_int(req, "cursor", 1, LONG_MAX, LONG_MAX, &before) != 0)
        return req->status;
    struct db_stmt *st =
        db_prepare(req->db, strcmp(list, "submitted") == 0 ? SUBMITTED_PAGE : COPIED_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, req->session->who.username);
    db_bind_int(st, before);
    db_bind_int(st, limit + 1);
    return http_id_page(req, st, limit, list_item);
}
