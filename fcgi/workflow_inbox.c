/* The workflow as its deciders meet it: GET /api/v1/inbox (the steps the caller can decide
 * now) and POST /api/v1/inbox/approve (several at once). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "roles.h"
#include "session.h"
#include "workflow_private.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200, MAX_BATCH = 100 };

/* A step waits for the caller when it is decided in her region, by one of her roles, not
 * transferred to someone else, on a request she did not make or submit. pending_region is her
 * region exactly, so this is a range of workflow_request_inbox in id order: the keyset.
 * STRAIGHT_JOIN keeps that order: left to itself, MariaDB starts from the organisations of the
 * region and sorts all their requests (1.3 s for 80,000 waiting at one township, measured). */
static const char INBOX_PAGE[] =
    "SELECT STRAIGHT_JOIN r.id, r.kind, r.subject_id, r.organisation_id, o.name, r.region,"
    " r.current_step,"
    " s.mode, s.role, r.version, r.originator, r.originator_name, " WF_TIME("r.pending_since")
    ", TIMESTAMPDIFF(SECOND, r.pending_since, NOW(3)), " WF_TIME("r.urged_at") ", "
    WF_SUBJECT_NAME
    " FROM my_workflow_request r JOIN my_organisation o ON o.id = r.organisation_id"
    WF_SUBJECT_JOIN
    " JOIN my_workflow_request_step s ON s.request_id = r.id AND s.seq = r.current_step"
    " WHERE r.pending_region = ? AND r.id > ? AND FIND_IN_SET(r.pending_role, ?) > 0"
    " AND (r.pending_assignee IS NULL OR r.pending_assignee = ?) AND r.originator <> ?"
    " AND NOT EXISTS (SELECT 1 FROM my_workflow_event e WHERE e.request_id = r.id"
    " AND e.actor = ? AND e.action IN ('submit', 'resubmit'))"
    " ORDER BY r.id LIMIT ?";

static json_t *inbox_item(struct db_stmt *st)
{
    json_t *item = json_pack(
        "{s:I, s:o, s:I, s:I, s:o, s:o, s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:o}", "id",
        (json_int_t)db_col_int(st, 0), "kind", json_column_text(st, 1), "subject_id",
        (json_int_t)db_col_int(st, 2), "organisation_id", (json_int_t)db_col_int(st, 3),
        "organisation_name", json_column_text(st, 4), "region", json_column_text(st, 5), "step",
        (json_int_t)db_col_int(st, 6), "mode", json_column_text(st, 7), "role",
        json_column_text(st, 8), "version", (json_int_t)db_col_int(st, 9), "originator",
        json_column_text(st, 10), "originator_name", json_column_text(st, 11), "pending_since",
        json_column_text(st, 12), "waiting_seconds", (json_int_t)db_col_int(st, 13), "urged_at",
        json_column_text(st, 14), "subject_name", json_column_text(st, 15));
    return item;
}

int inbox_list(struct request *req)
{
    long limit, after;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0 ||
        http_query_int(req, "cursor", 0, LONG_MAX - 1, 0, &after) != 0)
        return req->status;
    const struct identity *who = &req->session->who;
    char roles[64];
    roles_format(who->roles, roles, sizeof roles);
    struct db_stmt *st = db_prepare(req->db, INBOX_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, who->region);
    db_bind_int(st, after);
    db_bind_str(st, roles);
    db_bind_str(st, who->username);
    db_bind_str(st, who->username);
    db_bind_str(st, who->username);
    db_bind_int(st, limit + 1); /* one more tells whether another page follows */
    return http_id_page(req, st, limit, inbox_item);
}

/* One item of a batch: {id, step, version}. 0, or 422 with the answer set. */
static int batch_item(struct request *req, json_t *item, int index, struct wf_action *a)
{
    struct fields f = {.req = req, .body = item};
    if (!json_is_object(item))
        return http_error(req, 422, "invalid", "items",
                          "items[%d]: must be an object with id, step and version", index);
    a->id = field_int(&f, "id", 1, LLONG_MAX - 1, 0, REQUIRED);
    a->step = (int)field_int(&f, "step", 1, 9, 0, REQUIRED);
    a->version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    return fields_end(&f);
}

/* Each item is decided in a transaction of its own: one that fails (decided meanwhile, not
 * the caller's) leaves the others alone, and the answer says which went through. */
int inbox_approve(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    json_t *items = json_object_get(f.body, "items");
    const char *comment = field_text(&f, "comment", 1, 1000, OPTIONAL);
    int action = field_enum(&f, "action", wf_actions, OPTIONAL);
    if (!f.failed && (!json_is_array(items) || json_array_size(items) == 0 ||
                      json_array_size(items) > MAX_BATCH))
        field_fail(&f, "items", items ? "invalid" : "required",
                   "must be a list of 1 to %d requests", MAX_BATCH);
    if (!f.failed && action != -1 && action != WF_APPROVE && action != WF_ACKNOWLEDGE)
        field_fail(&f, "action", "invalid", "must be approve or acknowledge");
    if (fields_end(&f) != 0)
        return req->status;
    struct wf_action *actions = arena_zalloc(req->arena, json_array_size(items) * sizeof *actions);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (batch_item(req, item, (int)i, &actions[i]) != 0)
            return req->status;
        actions[i].action = action >= 0 ? action : WF_APPROVE;
        actions[i].comment = comment;
    }
    json_t *results = json_array();
    json_array_foreach(items, i, item) {
        int status = cadre_in_transaction(req, wf_decide_step, &actions[i]);
        json_t *result = json_pack("{s:I, s:i}", "id", (json_int_t)actions[i].id, "status",
                                   status ? status : 200);
        if (status)
            json_object_set(result, "error", json_object_get(req->body, "error"));
        else
            json_object_set_new(result, "version", json_integer(actions[i].r.version));
        json_array_append_new(results, result);
    }
    return http_json(req, 200, json_pack("{s:o}", "results", results));
}
