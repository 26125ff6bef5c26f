/* Deciding the waiting step of a request: POST /api/v1/requests/{id}/decisions (approve,
 * reject, return, acknowledge), and wf_decide_step, which the inbox's batch approval runs too.
 *
 * Approvals are the engine's busiest action, so a decision reads what it needs in one locked
 * statement: the request, all its steps, the database's time and whether the caller made or
 * submitted the request. Its writes use that time, so an approval or acknowledgement answers
 * with the request as it read it, changed as it wrote it, and reads back only the history
 * (which then holds its own event): with the transaction's begin and commit, 8 round trips to
 * the database instead of 10. tests/integration/workflow.sh checks that the answer is the
 * request exactly as a following GET shows it. */
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

/* The request with its steps, one row each in order (one row with NULL steps when it has none
 * yet), locked; the time of the decision, as DATETIME(3) and as the answer shows times; and
 * whether the caller made or submitted the request (she then decides none of its steps). */
static const char DECISION_ROWS[] =
    "SELECT " WF_REQUEST_JSON_COLUMNS ", r.org_level, r.decisions,"
    " NOW(3), " WF_TIME("NOW(3)") ","
    " EXISTS (SELECT 1 FROM my_workflow_event e WHERE e.request_id = r.id AND e.actor = ?"
    " AND e.action IN ('create', 'submit', 'resubmit')), " WF_STEP_JSON_COLUMNS
    " FROM my_workflow_request r"
    " LEFT JOIN my_workflow_request_step s ON s.request_id = r.id"
    " WHERE r.id = ? ORDER BY s.seq FOR UPDATE";
enum { ORG_LEVEL = WF_REQUEST_JSON_COLUMN_COUNT, DECISIONS, NOW, NOW_JSON, SUBMITTED, STEP };

/* Whether the user made or submitted the request: she decides none of its steps. */
static const char SUBMITTED_BY[] =
    "SELECT 1 FROM my_workflow_event WHERE request_id = ? AND actor = ?"
    " AND action IN ('create', 'submit', 'resubmit') LIMIT 1";

/* After a return to an earlier step, the steps after it wait again. */
static const char RESET_STEPS[] =
    "UPDATE my_workflow_request_step SET state = 'waiting', decided_by = NULL,"
    " decided_at = NULL, comment = NULL WHERE request_id = ? AND seq > ? AND seq <= ?";

const char *const wf_actions[] = {"approve", "reject", "return", "acknowledge", NULL};

/* What each action makes of the step it decides, in the order of wf_actions. */
static const char *const step_states[] = {"approved", "rejected", "returned", "acknowledged"};

/* ------------------------------------------------------------------------------------------ */
/* Who decides */

/* wf_may_decide, knowing whether the caller made or submitted the request (submitted: NULL
 * to look it up). */
static int may_decide(struct request *req, const struct workflow_request *r,
                      const struct wf_step *s, const bool *submitted)
{
    const struct identity *who = &req->session->who;
    unsigned role = 0;
    roles_parse(s->role, &role);
    if (strcmp(who->region, s->acting_region) != 0 || !(who->roles & role))
        return http_error(req, 403, "not_your_step", "step",
                          "step %d is decided by a %s of region %s", r->current_step, s->role,
                          s->acting_region);
    bool found = submitted && *submitted;
    if (!submitted) {
        struct db_stmt *st = db_prepare(req->db, SUBMITTED_BY);
        if (!st)
            return http_db_error(req, db_failure(req->db));
        db_bind_int(st, r->id);
        db_bind_str(st, who->username);
        int rc = db_execute(st);
        if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW)
            db_reset(st);
        if (rc != DB_ROW && rc != DB_DONE)
            return http_db_error(req, rc);
        found = rc == DB_ROW;
    }
    if (found || strcmp(who->username, r->originator) == 0)
        return http_error(req, 403, "own_request", "step",
                          "nobody decides a step of a request she made or submitted");
    if (r->assignee && strcmp(r->assignee, who->username) != 0)
        return http_error(req, 403, "not_your_step", "step",
                          "step %d was transferred to %s", r->current_step, r->assignee);
    return 0;
}

int wf_may_decide(struct request *req, const struct workflow_request *r, const struct wf_step *s)
{
    return may_decide(req, r, s, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading */

/* What a decision read, locked: the request (in the wf_action) and, as the answer shows them,
 * the request and its steps; the step waiting and the one after it. */
struct decision_row {
    json_t *request, *steps;
    const char *now_json; /* the time of the decision as the answer shows times */
    struct wf_step step, next;
    bool has_step, has_next, submitted;
};

/* The step of a row of DECISION_ROWS, if it has one: into d's steps, and d's waiting or next
 * step when it is one of them. */
static void step_row(struct db_stmt *st, const struct workflow_request *r,
                     struct decision_row *d)
{
    if (db_col_null(st, STEP))
        return;
    json_array_append_new(d->steps, wf_step_json(st, STEP));
    int seq = (int)db_col_int(st, STEP);
    if (seq == r->current_step)
        d->has_step = wf_step_of_row(st, STEP + 1, &d->step);
    else if (seq == r->current_step + 1)
        d->has_next = wf_step_of_row(st, STEP + 1, &d->next);
}

/* The first row of DECISION_ROWS: the request, as r and as JSON, then its first step. DB_OK,
 * or DB_ERROR for a kind no code serves (a bug, not user error). */
static int request_row(struct request *req, struct db_stmt *st, struct workflow_request *r,
                       struct decision_row *d)
{
    d->request = wf_request_json(st);
    const json_t *j = d->request;
    const char *assignee = json_member_text(j, "assignee");
    *r = (struct workflow_request){
        .id = json_member_int(j, "id"), .subject_id = json_member_int(j, "subject_id"),
        .organisation_id = json_member_int(j, "organisation_id"),
        .version = json_member_int(j, "version"),
        .kind = wf_kind_named(json_member_text(j, "kind")),
        .originator = arena_strdup(req->arena, json_member_text(j, "originator")),
        .assignee = assignee ? arena_strdup(req->arena, assignee) : NULL,
        .now = arena_strdup(req->arena, db_col_text(st, NOW, NULL)),
        .org_level = (int)db_col_int(st, ORG_LEVEL),
        .current_step = (int)json_member_int(j, "current_step"),
        .step_count = (int)json_member_int(j, "step_count"),
        .decisions = (int)db_col_int(st, DECISIONS)};
    snprintf(r->region, sizeof r->region, "%s", json_member_text(j, "region"));
    snprintf(r->state, sizeof r->state, "%s", json_member_text(j, "state"));
    snprintf(r->originator_region, sizeof r->originator_region, "%s",
             json_member_text(j, "originator_region"));
    d->now_json = arena_strdup(req->arena, db_col_text(st, NOW_JSON, NULL));
    d->submitted = db_col_int(st, SUBMITTED) != 0;
    step_row(st, r, d);
    return r->kind ? DB_OK : DB_ERROR;
}

/* Reads the request of a, locked, at the version the client read. 0, or 404 / 409
 * stale_version with the answer set; d's JSON to free either way. */
static int decision_load(struct request *req, struct wf_action *a, struct decision_row *d)
{
    *d = (struct decision_row){.steps = json_array()};
    struct db_stmt *st = db_prepare(req->db, DECISION_ROWS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, req->session->who.username);
    db_bind_int(st, a->id);
    int rc = db_execute(st);
    while (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        if (d->request) {
            step_row(st, &a->r, d);
            rc = DB_OK;
        } else {
            rc = request_row(req, st, &a->r, d);
        }
    }
    db_reset(st);
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    if (!d->request)
        return http_error(req, 404, NULL, "id", "no request %lld in your jurisdiction", a->id);
    if (a->r.version != a->version)
        return http_error(req, 409, "stale_version", "version",
                          "the request changed meanwhile (version %lld, not %lld); reload it",
                          a->r.version, a->version);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Deciding */

/* What action does at a step of mode: NULL when it may, else why not. */
static const char *action_refused(enum wf_decision action, const char *mode)
{
    bool filing = strcmp(mode, "file") == 0;
    if (filing && (action == WF_APPROVE || action == WF_REJECT))
        return "a filing (备案) is acknowledged or returned for correction, never approved or "
               "rejected";
    if (!filing && action == WF_ACKNOWLEDGE)
        return "this step approves, rejects or returns; acknowledge is for filings";
    return NULL;
}

/* A return to the earlier step a->return_to: the steps from it to the current one wait again,
 * and the request waits at it. DB_OK or an error. */
static int return_to_step(struct request *req, struct wf_action *a)
{
    struct workflow_request *r = &a->r;
    int rc = wf_set_step(req, r, r->current_step, "waiting", NULL, NULL);
    if (rc != DB_OK)
        return rc;
    struct db_stmt *st = db_prepare(req->db, RESET_STEPS);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, r->id);
    db_bind_int(st, a->return_to);
    db_bind_int(st, r->current_step);
    if ((rc = db_execute(st)) != DB_OK)
        return rc;
    return wf_move(req, r, "in_progress", a->return_to);
}

/* Where the request goes after action at its current step (next: the step after it, as read,
 * or NULL). 0 or an error status. */
static int apply(struct request *req, struct wf_action *a, const struct wf_step *next)
{
    struct workflow_request *r = &a->r;
    const char *me = req->session->who.username;
    int step = r->current_step, rc;
    r->decisions++;
    /* Approved or filed, not the last step: the next one, as read, waits from now on. */
    bool advancing = (a->action == WF_APPROVE || a->action == WF_ACKNOWLEDGE) &&
                     step < r->step_count && next;
    rc = advancing ? wf_advance_steps(req, r, step, step_states[a->action], me, a->comment)
                   : wf_set_step(req, r, step, step_states[a->action], me, a->comment);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    const char *outcome = NULL;
    if (a->action == WF_REJECT) {
        rc = wf_move(req, r, "rejected", step);
        outcome = "rejected";
    } else if (a->action == WF_RETURN && a->return_to == 0) {
        rc = wf_move(req, r, "returned", step);
    } else if (a->action == WF_RETURN) {
        rc = return_to_step(req, a);
    } else if (step < r->step_count) {
        rc = wf_move_to(req, r, "in_progress", step + 1, advancing ? next : NULL);
    } else {
        rc = wf_move(req, r, "completed", step);
        outcome = "completed";
    }
    if (rc != DB_OK)
        return http_db_error(req, rc);
    return outcome && r->kind->finished ? r->kind->finished(req, r, outcome) : 0;
}

/* Sets the step seq of the JSON steps to state, decided by by at at (NULL: undecided). */
static void step_answer(json_t *steps, int seq, const char *state, const char *by,
                        const char *at, const char *comment)
{
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) {
        if (json_integer_value(json_object_get(s, "seq")) != seq)
            continue;
        json_object_set_new(s, "state", json_string(state));
        json_object_set_new(s, "decided_by", by ? json_string(by) : json_null());
        json_object_set_new(s, "decided_at", at ? json_string(at) : json_null());
        json_object_set_new(s, "comment", comment ? json_string(comment) : json_null());
    }
}

/* The answer to an approval or acknowledgement of step, which moved the request on to its next
 * step or completed it: the request as read, with what the decision wrote (its time: d's), and
 * its history read again. 0 with a->answer set, or an error status. */
static int answer(struct request *req, struct wf_action *a, struct decision_row *d, int step)
{
    const struct workflow_request *r = &a->r;
    bool waiting = strcmp(r->state, "in_progress") == 0;
    json_t *j = d->request;
    json_object_set_new(j, "state", json_string(r->state));
    json_object_set_new(j, "current_step", json_integer(r->current_step));
    json_object_set_new(j, "finished_at", waiting ? json_null() : json_string(d->now_json));
    json_object_set_new(j, "pending_since", waiting ? json_string(d->now_json) : json_null());
    json_object_set_new(j, "version", json_integer(r->version));
    json_object_set_new(j, "assignee", json_null());
    step_answer(d->steps, step, step_states[a->action], req->session->who.username,
                d->now_json, a->comment);
    if (waiting)
        step_answer(d->steps, r->current_step, "pending", NULL, NULL, NULL);
    int rc;
    json_t *events = wf_events_json(req, r->id, &rc);
    if (!events)
        return http_db_error(req, rc);
    json_object_set(j, "steps", d->steps);
    json_object_set_new(j, "events", events);
    a->answer = json_incref(j);
    return 0;
}

/* Decides, once the request is read: 0 or an error status. */
static int decide(struct request *req, struct wf_action *a, struct decision_row *d)
{
    struct workflow_request *r = &a->r;
    if (strcmp(r->state, "in_progress") != 0)
        return http_error(req, 409, "not_current_step", "step",
                          "the request is %s: no step of it waits for a decision", r->state);
    if (a->step != r->current_step)
        return http_error(req, 409, "not_current_step", "step",
                          "step %d is not the one waiting (step %d is)", a->step,
                          r->current_step);
    if (!d->has_step)
        return http_db_error(req, DB_ERROR); /* a request in progress has its steps */
    int status = may_decide(req, r, &d->step, &d->submitted);
    if (status)
        return status;
    const char *refused = action_refused(a->action, d->step.mode);
    if (refused)
        return http_error(req, 422, "invalid", "action", "action: %s", refused);
    if ((a->action == WF_REJECT || a->action == WF_RETURN) && !a->comment)
        return http_error(req, 422, "required", "comment",
                          "comment: a rejection or return needs its reason");
    if (a->action == WF_RETURN && a->return_to >= r->current_step)
        return http_error(req, 422, "invalid", "return_to",
                          "return_to: 0 (the originator) or an earlier step than %d",
                          r->current_step);
    json_t *before = wf_state_json(r);
    if ((status = apply(req, a, d->has_next ? &d->next : NULL)) == 0) {
        int rc = wf_record(req, r, before,
                           &(struct wf_event){.action = wf_actions[a->action], .step = a->step,
                                              .to_step = a->action == WF_RETURN ? a->return_to
                                                                                : -1,
                                              .comment = a->comment});
        if (rc != DB_OK)
            status = http_db_error(req, rc);
    }
    json_decref(before);
    bool moved_on = a->action == WF_APPROVE || a->action == WF_ACKNOWLEDGE;
    if (status == 0 && a->answering && moved_on)
        status = answer(req, a, d, a->step);
    return status;
}

int wf_decide_step(struct request *req, void *data)
{
    struct wf_action *a = data;
    struct decision_row d;
    int status = decision_load(req, a, &d);
    if (status == 0)
        status = decide(req, a, &d);
    json_decref(d.request);
    json_decref(d.steps);
    return status;
}

int workflow_decide(struct request *req)
{
    struct fields f;
    struct wf_action a;
    if (wf_action_read(req, &f, &a) != 0)
        return req->status;
    a.step = (int)field_int(&f, "step", 1, 9, 0, REQUIRED);
    a.action = field_enum(&f, "action", wf_actions, REQUIRED);
    a.return_to = (int)field_int(&f, "return_to", 0, 8, 0, OPTIONAL);
    if (fields_end(&f) != 0)
        return req->status;
    a.answering = true;
    int status = cadre_in_transaction(req, wf_decide_step, &a);
    if (status) {
        json_decref(a.answer);
        return status;
    }
    /* A rejection or return is read back: they are rare, and a return changes several steps. */
    return a.answer ? http_json(req, 200, a.answer) : wf_respond(req, 200, a.id);
}
