/* The workflow engine: requests about an organisation that walk a chain of steps kept as data
 * (sql/migrations/005_workflow.sql). The engine knows steps, roles, levels and states; what a
 * request is about belongs to its kind (a re-election plan, its result, a new organisation's committee or liaison officer),
 * which the engine calls back when a request is submitted and when it ends. Every statement
 * goes through the my_* views, so a request outside the caller's jurisdiction is not found. */
#ifndef JICENG_WORKFLOW_H
#define JICENG_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

struct workflow_request;

/* A kind of request. Add a new one to the list in workflow.c. */
struct workflow_kind {
    const char *name; /* as stored in workflow_request.kind, e.g. "reelection_plan" */
    /* Runs in the transaction of a submission (first or after a return), the request locked:
     * 0 when its subject may go up the chain, else an error status with the answer set. */
    int (*submitting)(struct request *req, const struct workflow_request *r);
    /* Runs in the transaction of the action that ends the request; outcome is "completed"
     * (every step approved or filed), "rejected" or "withdrawn". 0 or an error status (the
     * whole action is then rolled back). */
    int (*finished)(struct request *req, const struct workflow_request *r, const char *outcome);
};

/* A request as stored. */
struct workflow_request {
    long long id, subject_id, organisation_id, version;
    const struct workflow_kind *kind;
    char region[13], state[16], originator_region[13];
    const char *originator; /* arena memory */
    const char *assignee;   /* who a transfer gave the waiting step to; NULL: any decider */
    /* The time of the action under way as the database read it (DATETIME(3) text), which its
     * writes then use, so the answer can tell it without reading them back; NULL: the
     * database's clock at each write. */
    const char *now;
    int org_level, current_step, step_count, decisions;
};

/* Creates a draft request of kind about subject_id for the organisation (which the caller has
 * found in her jurisdiction: region and level are its), with the caller as originator, its
 * history event and audit entry, inside the caller's transaction. Returns 0 with *id set, or an
 * error status with the answer set. */
int workflow_create(struct request *req, const struct workflow_kind *kind, long long subject_id,
                    long long organisation_id, const char *region, int org_level, long long *id);

/* Submits the draft request id, made by workflow_create in the caller's transaction, as
 * POST /requests/{id}/submit would (the kind's submitting callback, the chain copied, its
 * history event and audit entry): for a kind whose proposal is made and submitted at once.
 * Returns 0, or an error status with the answer set. */
int workflow_submit_draft(struct request *req, long long id, const char *comment);

/* Loads request id as the caller sees it, locked for update when lock. Returns DB_ROW, DB_DONE
 * (not in the jurisdiction) or an error. Strings in the request's arena. */
int workflow_load(struct request *req, long long id, bool lock, struct workflow_request *out);

/* The request id as JSON: its state, steps and, with history, its events. NULL with *rc set
 * (DB_DONE when not in the jurisdiction). New reference. */
json_t *workflow_request_json(struct request *req, long long id, bool history, int *rc);

/* True while the originator may change what the request is about: a draft, or returned. */
bool workflow_editable(const struct workflow_request *r);

#endif
