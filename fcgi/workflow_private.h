/* What the workflow engine's files (workflow.c, workflow_inbox.c) share, and the kinds it
 * serves. Kinds and their handlers use workflow.h only. */
#ifndef JICENG_WORKFLOW_PRIVATE_H
#define JICENG_WORKFLOW_PRIVATE_H

#include "workflow.h"

struct db_stmt;
struct fields;

/* The kinds, defined by their files (reelection.c, reelection_result.c,
 * new_org_coverage_kind.c). */
extern const struct workflow_kind reelection_plan_kind;
extern const struct workflow_kind reelection_result_kind;
extern const struct workflow_kind new_org_committee_kind;
extern const struct workflow_kind new_org_liaison_kind;

/* The names of the kinds the engine serves, NULL-terminated. */
extern const char *const wf_kind_names[];

/* The name of what a request of the list r (a my_workflow_request alias) joined with o (its
 * my_organisation) is about: a new organisation's for the coverage kinds, whose subject_id is
 * the new organisation, else the organisation's. Needs the join WF_SUBJECT_JOIN. */
#define WF_SUBJECT_NAME "COALESCE(n.name, o.name)"
#define WF_SUBJECT_JOIN                                                                        \
    " LEFT JOIN my_new_org n ON n.id = r.subject_id"                                          \
    " AND r.kind IN ('new_org_committee', 'new_org_liaison')"

/* A DATETIME(3) column as ISO 8601 UTC text. */
#define WF_TIME(column) "DATE_FORMAT(" column ", '%Y-%m-%dT%H:%i:%s.%fZ')"

/* The columns of a request as its JSON shows it (r: the my_workflow_request alias), and the
 * JSON of a row that begins with them (new reference, without steps and events). */
#define WF_REQUEST_JSON_COLUMNS                                                                \
    "r.id, r.kind, r.subject_id, r.organisation_id, r.region, r.state, r.current_step,"        \
    " r.step_count, r.originator, r.originator_name, r.originator_region, "                    \
    WF_TIME("r.submitted_at") ", " WF_TIME("r.finished_at") ", " WF_TIME("r.pending_since")   \
    ", " WF_TIME("r.urged_at") ", r.version, r.pending_assignee"
enum { WF_REQUEST_JSON_COLUMN_COUNT = 17 };
json_t *wf_request_json(struct db_stmt *st);

/* The columns of a step as its JSON shows it (s: the my_workflow_request_step alias), and the
 * JSON of a row that has them from column first (new reference). The columns first + 1 ..
 * first + 4 are those wf_step_of_row reads. */
#define WF_STEP_JSON_COLUMNS                                                                   \
    "s.seq, s.acting_region, s.level, s.role, s.mode, s.state, s.decided_by, "                 \
    WF_TIME("s.decided_at") ", s.comment"
json_t *wf_step_json(struct db_stmt *st, int first);

/* The history of request id, oldest first, as JSON: NULL with *rc set when the database
 * fails. New reference. */
json_t *wf_events_json(struct request *req, long long id, int *rc);

/* A step as a request copied it from its chain. */
struct wf_step {
    char acting_region[13], role[12], mode[8];
    int level;
};

/* One entry of a request's history. step 0 and to_step -1 mean none. */
struct wf_event {
    const char *action, *to_user, *comment;
    int step, to_step;
};

enum wf_decision { WF_APPROVE, WF_REJECT, WF_RETURN, WF_ACKNOWLEDGE };
extern const char *const wf_actions[]; /* their names, NULL-terminated */

/* An action on a request as a client sent it, and the request it loaded. */
struct wf_action {
    long long id, version;
    int step, action, return_to;
    const char *comment;
    struct workflow_request r;
    /* Set by wf_decide_step for an approval or acknowledgement when answering is: the request
     * as GET /api/v1/requests/{id} shows it after the decision (new reference). */
    bool answering;
    json_t *answer;
};

/* Reads {version, comment} and the path's id into a. 0, or an error status. */
int wf_action_read(struct request *req, struct fields *f, struct wf_action *a);

/* The kind named name, or NULL. */
const struct workflow_kind *wf_kind_named(const char *name);

/* The step in columns first .. first + 3 (acting_region, level, role, mode) into out: false when
 * they are NULL. */
bool wf_step_of_row(struct db_stmt *st, int first, struct wf_step *out);

/* r's state, current step and version, as the audit log keeps them. New reference. */
json_t *wf_state_json(const struct workflow_request *r);

/* Sets step seq of r to state, decided by by (NULL: undecided) with comment, at r->now.
 * DB_OK or an error. */
int wf_set_step(struct request *req, const struct workflow_request *r, int seq,
                const char *state, const char *by, const char *comment);

/* Decides step (not the last) of r as state by by with comment, at r->now, and lets the next
 * one wait. DB_OK or an error. */
int wf_advance_steps(struct request *req, const struct workflow_request *r, int step,
                     const char *state, const char *by, const char *comment);

/* Moves r to state at step (0: none), at r->now. In progress, the step becomes the pending one
 * (known: that step as read and marked pending already, or NULL to do both here). Bumps the
 * version, as read: the row is locked, so a mismatch is a bug. DB_OK or an error. wf_move is
 * wf_move_to with known NULL. */
int wf_move_to(struct request *req, struct workflow_request *r, const char *state, int step,
               const struct wf_step *known);
int wf_move(struct request *req, struct workflow_request *r, const char *state, int step);

/* Appends e to r's history and the audit log (before: r's state before the action, or NULL).
 * DB_OK or an error. */
int wf_record(struct request *req, const struct workflow_request *r, const json_t *before,
              const struct wf_event *e);

/* Loads request id locked, for an action read at version: 0, or 404 / 409 stale_version with
 * the answer set. */
int wf_load_for_action(struct request *req, long long id, long long version,
                       struct workflow_request *r);

/* Loads step seq of request id. DB_ROW, DB_DONE or an error. */
int wf_step_load(struct request *req, long long id, int seq, struct wf_step *out);

/* Whether the caller may decide step s, the current one of r: she holds its role in the region
 * it is decided in, did not make the request, and it was not transferred to someone else. 0, or
 * 403 with the answer set. */
int wf_may_decide(struct request *req, const struct workflow_request *r, const struct wf_step *s);

/* Copies the steps of the chain that applies into r (its first submission, inside the caller's
 * transaction), each with the region it is decided in. Returns 0, or 409 no_chain when no
 * chain or a step above the province applies. */
int wf_copy_chain(struct request *req, struct workflow_request *r);

/* True when the caller works in the office that made the request: same region, a clerk. */
bool wf_originating_office(const struct request *req, const struct workflow_request *r);

/* Decides a step (data: struct wf_action), inside the caller's transaction: 0 or a status. */
int wf_decide_step(struct request *req, void *data);

/* Answers status with request id and its history. */
int wf_respond(struct request *req, int status, long long id);

#endif
