/* What the workflow engine's files (workflow.c, workflow_inbox.c) share, and the kinds it
 * serves. Kinds and their handlers use workflow.h only. */
#ifndef JICENG_WORKFLOW_PRIVATE_H
#define JICENG_WORKFLOW_PRIVATE_H

#include "workflow.h"

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
};

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
