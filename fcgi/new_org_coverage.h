/* Covering a new organisation through the chain engine: what new_org_coverage.c (the proposal,
 * POST /api/v1/new-organisations/{id}/coverage) and new_org_coverage_kind.c (the request kinds
 * new_org_committee and new_org_liaison, which record the coverage when their chain completes)
 * share. Proposals live in new_org_coverage_request (migration 013), read through its my_ view. */
#ifndef JICENG_NEW_ORG_COVERAGE_H
#define JICENG_NEW_ORG_COVERAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

enum coverage_kind { COVER_COMMITTEE, COVER_LIAISON };

/* "committee", "liaison_officer", NULL: the API's and the tables' names, in enum order. */
extern const char *const coverage_kinds[];

/* The proposal whose workflow request is request_id (locked for update when lock), or with
 * request_id 0 the latest proposal for new organisation new_org_id. ID numbers in full in its
 * "person" (a new liaison officer's record). Sets *rc to DB_ROW (new reference), DB_DONE or an
 * error. */
json_t *coverage_request_row(struct request *req, long long request_id, long long new_org_id,
                             bool lock, int *rc);

/* Why org (new_org_row's, locked) cannot get coverage of kind now, as an answer; 0 when it
 * can. The rules of DOMAIN.md: a committee needs 30 or more female fixed employees and the
 * three conditions; an organisation with a committee gets no liaison officer. */
int coverage_refusal(struct request *req, int kind, const json_t *org);

/* Adds to org (a new organisation's JSON) "coverage_request": its latest proposal with its
 * request's steps and history, or null. DB_OK or an error. */
int new_org_add_coverage_request(struct request *req, json_t *org);

#endif
