/* Re-elections (换届): what reelection.c (the plan) and reelection_result.c (the result and
 * the roster's roll-over) share. The plan and the result each go through a chain of the
 * workflow engine (workflow.h) as requests of the kinds reelection_plan and reelection_result. */
#ifndef JICENG_REELECTION_H
#define JICENG_REELECTION_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

enum seat { SEAT_CHAIR, SEAT_VICE_FULL, SEAT_VICE_PART, SEAT_STANDING, SEAT_EXECUTIVE,
            SEAT_COUNT };

/* "chair", "vice_chair_full_time", "vice_chair_part_time", "standing_member",
 * "executive_member", NULL: the seats of a federation's leadership, in rank order. */
extern const char *const reelection_seats[];

/* The re-election id as stored, locked for update when lock, with its organisation's level,
 * kind, name and village committee election date, and its candidates (person_data as stored,
 * ID numbers in full: for the audit log and the roll-over). Sets *rc to DB_ROW (new reference
 * returned), DB_DONE (not in the jurisdiction) or an error. */
json_t *reelection_row(struct request *req, long long id, bool lock, int *rc);


/* The 404 for a re-election that is not in the caller's jurisdiction. Returns 404. */
int reelection_not_found(struct request *req, long long id);

/* Sets the stage and bumps the version of the re-election, with an audit entry (action),
 * inside the caller's transaction; result_request: keep it when > 0, clear it when 0. Returns 0
 * or an error status with the answer set. */
int reelection_set_stage(struct request *req, long long id, const char *stage,
                         const char *action, bool clear_result);

/* Answers status with the re-election as the caller may see it: personal data of new
 * candidates masked unless her roles allow, the warnings of the plan, and both requests with
 * their history. */
int reelection_respond(struct request *req, int status, long long id);

#endif
