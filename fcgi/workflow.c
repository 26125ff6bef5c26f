/* The workflow engine (see workflow.h) and its routes on a request: GET /api/v1/requests/{id},
 * POST .../submit and .../withdraw (.../decisions: workflow_decision.c). A request is locked
 * for the whole of an action, and every action names the version it was read at: when two
 * approvers decide the same step at once, one wins and the other finds the version moved on
 * (409). Every action writes its history event and its audit entry in the transaction of the
 * change. */
#include "workflow.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "region_code.h"
#include "roles.h"
#include "session.h"
#include "workflow_private.h"

/* Every kind the engine serves, and their names in the same order. */
static const struct workflow_kind *const kinds[] = {
    &reelection_plan_kind, &reelection_result_kind, &new_org_committee_kind,
    &new_org_liaison_kind};
const char *const wf_kind_names[] = {"reelection_plan", "reelection_result",
                                     "new_org_committee", "new_org_liaison", NULL};

#define REQUEST_COLUMNS                                                                        \
    "SELECT r.id, r.kind, r.subject_id, r.organisation_id, r.region, r.org_level, r.state,"   \
    " r.current_step, r.step_count, r.decisions, r.originator, r.originator_region,"          \
    " r.version, r.pending_assignee"
static const char REQUEST_ROW[] = REQUEST_COLUMNS " FROM my_workflow_request r WHERE r.id = ?";
static const char REQUEST_ROW_LOCKED[] =
    REQUEST_COLUMNS " FROM my_workflow_request r WHERE r.id = ? FOR UPDATE";

static const char REQUEST_JSON[] =
    "SELECT " WF_REQUEST_JSON_COLUMNS " FROM my_workflow_request r WHERE r.id = ?";

static const char STEPS_JSON[] =
    "SELECT " WF_STEP_JSON_COLUMNS " FROM my_workflow_request_step s WHERE s.request_id = ?"
    " ORDER BY s.seq";

static const char EVENTS_JSON[] =
    "SELECT id, " WF_TIME("at") ", actor, actor_name, actor_region, action, step, to_step,"
    " to_user, comment FROM my_workflow_event WHERE request_id = ? ORDER BY id";

static const char INSERT_REQUEST[] =
    "INSERT INTO my_workflow_request (kind, subject_id, organisation_id, region, org_level,"
    " originator, originator_name, originator_region) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char INSERT_EVENT[] =
    "INSERT INTO my_workflow_event (request_id, region, at, actor, actor_name, actor_region,"
    " action, step, to_step, to_user, comment)"
    " VALUES (?, ?, COALESCE(?, NOW(3)), ?, ?, ?, ?, ?, ?, ?, ?)";

static const char STEP_ROW[] =
    "SELECT acting_region, level, role, mode FROM my_workflow_request_step"
    " WHERE request_id = ? AND seq = ?";

static const char SET_STEP[] =
    "UPDATE my_workflow_request_step SET state = ?, decided_by = ?,"
    " decided_at = IF(? IS NULL, NULL, COALESCE(?, NOW(3))), comment = ?"
    " WHERE request_id = ? AND seq = ?";

/* An approval or acknowledgement of step ? that is not the last: it is decided, the next one
 * waits, in one statement. Parameters: step, its new state, step, decider, step, time, step,
 * comment, request, step, next step. */
static const char ADVANCE_STEPS[] =
    "UPDATE my_workflow_request_step SET state = IF(seq = ?, ?, 'pending'),"
    " decided_by = IF(seq = ?, ?, NULL), decided_at = IF(seq = ?, COALESCE(?, NOW(3)), NULL),"
    " comment = IF(seq = ?, ?, NULL) WHERE request_id = ? AND seq IN (?, ?)";

static const char MOVE_REQUEST[] =
    "UPDATE my_workflow_request SET state = ?, current_step = ?, step_count = ?, decisions = ?,"
    " pending_region = ?, pending_role = ?, pending_assignee = NULL,"
    " pending_since = IF(? IS NULL, NULL, COALESCE(?, NOW(3))),"
    " submitted_at = COALESCE(submitted_at, IF(? = 'in_progress', COALESCE(?, NOW(3)), NULL)),"
    " finished_at = IF(? IN ('completed', 'rejected', 'withdrawn'), COALESCE(?, NOW(3)), NULL),"
    " version = version + 1, updated_at = COALESCE(?, NOW(3)) WHERE id = ? AND version = ?";

/* ------------------------------------------------------------------------------------------ */
/* Loading and showing */

const struct workflow_kind *wf_kind_named(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

/* The request of a row of REQUEST_COLUMNS. DB_ROW, or DB_ERROR for a kind no code serves (a
 * bug, not user error). */
static int request_of_row(struct request *req, struct db_stmt *st, struct workflow_request *out)
{
    *out = (struct workflow_request){
        .id = db_col_int(st, 0), .subject_id = db_col_int(st, 2),
        .organisation_id = db_col_int(st, 3), .org_level = (int)db_col_int(st, 5),
        .current_step = (int)db_col_int(st, 7), .step_count = (int)db_col_int(st, 8),
        .decisions = (int)db_col_int(st, 9),
        .originator = arena_strdup(req->arena, db_col_text(st, 10, NULL)),
        .version = db_col_int(st, 12)};
    out->kind = wf_kind_named(db_col_text(st, 1, NULL));
    const char *assignee = db_col_text(st, 13, NULL);
    out->assignee = assignee ? arena_strdup(req->arena, assignee) : NULL;
    snprintf(out->region, sizeof out->region, "%s", db_col_text(st, 4, NULL));
    snprintf(out->state, sizeof out->state, "%s", db_col_text(st, 6, NULL));
    snprintf(out->originator_region, sizeof out->originator_region, "%s",
             db_col_text(st, 11, NULL));
    return out->kind ? DB_ROW : DB_ERROR;
}

int workflow_load(struct request *req, long long id, bool lock, struct workflow_request *out)
{
    int rc;
    struct db_stmt *st = db_row_of(req->db, lock ? REQUEST_ROW_LOCKED : REQUEST_ROW, id, &rc);
    if (!st)
        return rc;
    rc = request_of_row(req, st, out);
    db_reset(st);
    return rc;
}

bool workflow_editable(const struct workflow_request *r)
{
    return strcmp(r->state, "draft") == 0 || strcmp(r->state, "returned") == 0;
}

static const char *level_name(long long level)
{
    return region_level_name(level >= 1 && level <= 5 ? (enum region_level)level : LEVEL_NONE);
}

json_t *wf_step_json(struct db_stmt *st, int first)
{
    int c = first;
    return json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "seq",
                     (json_int_t)db_col_int(st, c), "region", json_column_text(st, c + 1),
                     "level", level_name(db_col_int(st, c + 2)), "role",
                     json_column_text(st, c + 3), "mode", json_column_text(st, c + 4), "state",
                     json_column_text(st, c + 5), "decided_by", json_column_text(st, c + 6),
                     "decided_at", json_column_text(st, c + 7), "comment",
                     json_column_text(st, c + 8));
}

static json_t *step_json(struct db_stmt *st)
{
    return wf_step_json(st, 0);
}

static json_t *event_json(struct db_stmt *st)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)db_col_int(st, 0), "at", json_column_text(st, 1), "actor",
                     json_column_text(st, 2), "actor_name", json_column_text(st, 3),
                     "actor_region", json_column_text(st, 4), "action", json_column_text(st, 5),
                     "step", json_column_int(st, 6), "to_step", json_column_int(st, 7), "to_user",
                     json_column_text(st, 8), "comment", json_column_text(st, 9));
}

json_t *wf_request_json(struct db_stmt *st)
{
    json_t *r = json_object();
    static const char *const names[] = {
        "id", "kind", "subject_id", "organisation_id", "region", "state", "current_step",
        "step_count", "originator", "originator_name", "originator_region", "submitted_at",
        "finished_at", "pending_since", "urged_at", "version", "assignee"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        bool number = i == 0 || i == 2 || i == 3 || i == 6 || i == 7 || i == 15;
        json_object_set_new(r, names[i], number ? json_column_int(st, i) : json_column_text(st, i));
    }
    return r;
}

json_t *wf_events_json(struct request *req, long long id, int *rc)
{
    return json_rows_of(req->db, EVENTS_JSON, id, event_json, rc);
}

json_t *workflow_request_json(struct request *req, long long id, bool history, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, REQUEST_JSON, id, rc);
    if (!st)
        return NULL;
    json_t *r = wf_request_json(st);
    db_reset(st);
    json_t *steps = json_rows_of(req->db, STEPS_JSON, id, step_json, rc);
    json_t *events = steps && history ? wf_events_json(req, id, rc) : NULL;
    if (!steps || (history && !events)) {
        json_decref(r);
        json_decref(steps);
        return NULL;
    }
    json_object_set_new(r, "steps", steps);
    if (history)
        json_object_set_new(r, "events", events);
    *rc = DB_ROW;
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing: events, moves between states */

json_t *wf_state_json(const struct workflow_request *r)
{
    return json_pack("{s:s, s:i, s:I}", "state", r->state, "current_step", r->current_step,
                     "version", (json_int_t)r->version);
}

int wf_record(struct request *req, const struct workflow_request *r, const json_t *before,
              const struct wf_event *e)
{
    const struct identity *who = &req->session->who;
    struct db_stmt *st = db_prepare(req->db, INSERT_EVENT);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, r->id);
    db_bind_str(st, r->region);
    db_bind_str(st, r->now);
    db_bind_str(st, who->username);
    db_bind_str(st, who->display_name);
    db_bind_str(st, who->region);
    db_bind_str(st, e->action);
    if (e->step > 0)
        db_bind_int(st, e->step);
    else
        db_bind_null(st);
    if (e->to_step >= 0)
        db_bind_int(st, e->to_step);
    else
        db_bind_null(st);
    db_bind_str(st, e->to_user);
    db_bind_str(st, e->comment);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    json_t *after = wf_state_json(r);
    json_object_set_new(after, "kind", json_string(r->kind->name));
    json_object_set_new(after, "subject_id", json_integer(r->subject_id));
    if (e->step > 0)
        json_object_set_new(after, "step", json_integer(e->step));
    if (e->to_step >= 0)
        json_object_set_new(after, "to_step", json_integer(e->to_step));
    if (e->to_user)
        json_object_set_new(after, "to_user", json_string(e->to_user));
    if (e->comment)
        json_object_set_new(after, "comment", json_string(e->comment));
    rc = cadre_audit(req, r->region, e->action, "workflow_request", r->id, before, after);
    json_decref(after);
    return rc;
}

bool wf_step_of_row(struct db_stmt *st, int first, struct wf_step *out)
{
    if (db_col_null(st, first))
        return false;
    snprintf(out->acting_region, sizeof out->acting_region, "%s", db_col_text(st, first, NULL));
    out->level = (int)db_col_int(st, first + 1);
    snprintf(out->role, sizeof out->role, "%s", db_col_text(st, first + 2, NULL));
    snprintf(out->mode, sizeof out->mode, "%s", db_col_text(st, first + 3, NULL));
    return true;
}

int wf_step_load(struct request *req, long long id, int seq, struct wf_step *out)
{
    struct db_stmt *st = db_prepare(req->db, STEP_ROW);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, id);
    db_bind_int(st, seq);
    int rc = db_execute(st);
    if (rc != DB_OK || (rc = db_fetch(st)) != DB_ROW)
        return rc;
    wf_step_of_row(st, 0, out);
    db_reset(st);
    return DB_ROW;
}

int wf_set_step(struct request *req, const struct workflow_request *r, int seq,
                const char *state, const char *by, const char *comment)
{
    struct db_stmt *st = db_prepare(req->db, SET_STEP);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, state);
    db_bind_str(st, by);
    db_bind_str(st, by);
    db_bind_str(st, r->now);
    db_bind_str(st, comment);
    db_bind_int(st, r->id);
    db_bind_int(st, seq);
    return db_execute(st);
}

int wf_move_to(struct request *req, struct workflow_request *r, const char *state, int step,
               const struct wf_step *known)
{
    struct wf_step pending;
    bool in_progress = strcmp(state, "in_progress") == 0;
    int rc;
    if (in_progress) {
        if (known)
            pending = *known;
        else if ((rc = wf_step_load(req, r->id, step, &pending)) != DB_ROW)
            return rc == DB_DONE ? DB_ERROR : rc;
        else if ((rc = wf_set_step(req, r, step, "pending", NULL, NULL)) != DB_OK)
            return rc;
    }
    struct db_stmt *st = db_prepare(req->db, MOVE_REQUEST);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, state);
    if (step > 0)
        db_bind_int(st, step);
    else
        db_bind_null(st);
    db_bind_int(st, r->step_count);
    db_bind_int(st, r->decisions);
    db_bind_str(st, in_progress ? pending.acting_region : NULL);
    db_bind_str(st, in_progress ? pending.role : NULL);
    db_bind_str(st, in_progress ? pending.role : NULL); /* pending_since: while one waits */
    db_bind_str(st, r->now);
    db_bind_str(st, state);
    db_bind_str(st, r->now);
    db_bind_str(st, state);
    db_bind_str(st, r->now);
    db_bind_str(st, r->now);
    db_bind_int(st, r->id);
    db_bind_int(st, r->version);
    rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        return DB_CONFLICT;
    snprintf(r->state, sizeof r->state, "%s", state);
    r->current_step = step;
    r->version++;
    return rc;
}

int wf_move(struct request *req, struct workflow_request *r, const char *state, int step)
{
    return wf_move_to(req, r, state, step, NULL);
}

int wf_advance_steps(struct request *req, const struct workflow_request *r, int step,
                     const char *state, const char *by, const char *comment)
{
    struct db_stmt *st = db_prepare(req->db, ADVANCE_STEPS);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, step);
    db_bind_str(st, state);
    db_bind_int(st, step);
    db_bind_str(st, by);
    db_bind_int(st, step);
    db_bind_str(st, r->now);
    db_bind_int(st, step);
    db_bind_str(st, comment);
    db_bind_int(st, r->id);
    db_bind_int(st, step);
    db_bind_int(st, step + 1); /* both rows were read under lock with the request */
    return db_execute(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Creating and submitting */

int workflow_create(struct request *req, const struct workflow_kind *kind, long long subject_id,
                    long long organisation_id, const char *region, int org_level, long long *id)
{
    const struct identity *who = &req->session->who;
    struct db_stmt *st = db_prepare(req->db, INSERT_REQUEST);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, kind->name);
    db_bind_int(st, subject_id);
    db_bind_int(st, organisation_id);
    db_bind_str(st, region);
    db_bind_int(st, org_level);
    db_bind_str(st, who->username);
    db_bind_str(st, who->display_name);
    db_bind_str(st, who->region);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *id = db_insert_id(st);
    struct workflow_request r = {.id = *id, .subject_id = subject_id, .kind = kind,
                                 .organisation_id = organisation_id, .org_level = org_level,
                                 .originator = who->username, .version = 1, .state = "draft"};
    snprintf(r.region, sizeof r.region, "%s", region);
    rc = wf_record(req, &r, NULL, &(struct wf_event){.action = "create", .to_step = -1});
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* The caller works in the office that made the request: same region, and a clerk. */
bool wf_originating_office(const struct request *req, const struct workflow_request *r)
{
    return strcmp(req->session->who.region, r->originator_region) == 0 &&
           (req->session->who.roles & ROLE_CLERK);
}

int wf_load_for_action(struct request *req, long long id, long long version,
                       struct workflow_request *r)
{
    int rc = workflow_load(req, id, true, r);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "id", "no request %lld in your jurisdiction", id);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    if (r->version != version)
        return http_error(req, 409, "stale_version", "version",
                          "the request changed meanwhile (version %lld, not %lld); reload it",
                          r->version, version);
    return 0;
}

static int submit_step(struct request *req, void *data)
{
    struct wf_action *a = data;
    struct workflow_request *r = &a->r;
    int status = wf_load_for_action(req, a->id, a->version, r);
    if (status)
        return status;
    if (!workflow_editable(r))
        return http_error(req, 409, "not_editable", NULL, "the request is %s, not a draft",
                          r->state);
    if (!wf_originating_office(req, r))
        return http_error(req, 403, "forbidden", NULL,
                          "only a clerk of the office that made the request submits it");
    if (r->kind->submitting && (status = r->kind->submitting(req, r)) != 0)
        return status;
    json_t *before = wf_state_json(r);
    bool first = strcmp(r->state, "draft") == 0;
    if (first && (status = wf_copy_chain(req, r)) != 0) {
        json_decref(before);
        return status;
    }
    /* After a return to the originator, the request goes on at the step that returned it. */
    int rc = wf_move(req, r, "in_progress", first ? 1 : r->current_step);
    if (rc == DB_OK)
        rc = wf_record(req, r, before,
                       &(struct wf_event){.action = first ? "submit" : "resubmit",
                                          .step = r->current_step, .to_step = -1,
                                          .comment = a->comment});
    json_decref(before);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int workflow_submit_draft(struct request *req, long long id, const char *comment)
{
    struct wf_action a = {.id = id, .version = 1, .comment = comment};
    return submit_step(req, &a);
}

static int withdraw_step(struct request *req, void *data)
{
    struct wf_action *a = data;
    struct workflow_request *r = &a->r;
    int status = wf_load_for_action(req, a->id, a->version, r);
    if (status)
        return status;
    if (!wf_originating_office(req, r))
        return http_error(req, 403, "forbidden", NULL,
                          "only a clerk of the office that made the request withdraws it");
    /* Returned, it lies with its office, which may give it up rather than change it: else a
     * proposal the approver will not take would block its subject for ever. Once a decision
     * was taken and the request is under way again, it is the deciders'. */
    bool returned = strcmp(r->state, "returned") == 0;
    if (!returned && strcmp(r->state, "draft") != 0 && strcmp(r->state, "in_progress") != 0)
        return http_error(req, 409, "not_withdrawable", NULL, "the request is %s", r->state);
    if (!returned && r->decisions > 0)
        return http_error(req, 409, "not_withdrawable", NULL,
                          "a request is withdrawn only before the first decision on it, or "
                          "while it is returned to its office");
    json_t *before = wf_state_json(r);
    int rc = wf_move(req, r, "withdrawn", 0);
    if (rc == DB_OK)
        status = r->kind->finished ? r->kind->finished(req, r, "withdrawn") : 0;
    else
        status = http_db_error(req, rc);
    if (status == 0 && (rc = wf_record(req, r, before,
                                       &(struct wf_event){.action = "withdraw", .to_step = -1,
                                                          .comment = a->comment})) != DB_OK)
        status = http_db_error(req, rc);
    json_decref(before);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Routes */

int wf_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *r = workflow_request_json(req, id, true, &rc);
    if (!r)
        return rc == DB_DONE ? http_error(req, 404, NULL, "id",
                                          "no request %lld in your jurisdiction", id)
                             : http_db_error(req, rc);
    return http_json(req, status, r);
}

int workflow_request_get(struct request *req)
{
    long long id = cadre_path_id(req, "id");
    return id ? wf_respond(req, 200, id) : req->status;
}

int wf_action_read(struct request *req, struct fields *f, struct wf_action *a)
{
    *a = (struct wf_action){.id = cadre_path_id(req, "id"), .return_to = 0};
    if (!a->id || fields_begin(f, req) != 0)
        return req->status;
    a->version = field_int(f, "version", 1, UINT_MAX, 0, REQUIRED);
    a->comment = field_text(f, "comment", 1, 1000, OPTIONAL);
    return 0;
}

int workflow_submit(struct request *req)
{
    struct fields f;
    struct wf_action a;
    if (wf_action_read(req, &f, &a) != 0 || fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, submit_step, &a);
    return status ? status : wf_respond(req, 200, a.id);
}

int workflow_withdraw(struct request *req)
{
    struct fields f;
    struct wf_action a;
    if (wf_action_read(req, &f, &a) != 0 || fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, withdraw_step, &a);
    return status ? status : wf_respond(req, 200, a.id);
}
