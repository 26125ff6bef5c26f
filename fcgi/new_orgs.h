/* New economic and social organisations (两新组织): what the handlers in new_orgs.c,
 * new_org_coverage.c, new_org_links.c and new_org_stats.c share. Every statement behind them
 * reads and writes the my_new_org* views (migration 008), so a thing outside the caller's
 * jurisdiction is never found (404). */
#ifndef JICENG_NEW_ORGS_H
#define JICENG_NEW_ORGS_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

extern const char *const new_org_kinds[];    /* economic, social */
extern const char *const new_org_ratings[];  /* none, up_to_standard, excellent */
extern const char *const new_org_coverages[]; /* none, committee, liaison_officer */

/* The stored record of a new organisation as the caller sees it, with its recommendation;
 * contact_phone masked unless unmasked (the audit log gets it whole). Locked for update when
 * lock. Sets *rc to DB_ROW (new reference returned), DB_DONE (not in the jurisdiction: NULL) or
 * an error (NULL). */
json_t *new_org_row(struct request *req, long long id, bool lock, bool unmasked, int *rc);

/* The 404 for a new organisation not in the caller's jurisdiction, naming field. Returns 404. */
int new_org_not_found(struct request *req, const char *field, long long id);

/* Answers status with the new organisation id as the caller may see it. */
int new_org_respond(struct request *req, int status, long long id);

/* A query parameter, NULL when absent or empty (a form sends "kind=" for "any kind"). */
const char *new_org_param(const struct request *req, const char *name);

/* 400 invalid_parameter naming the parameter. Returns 400. */
int new_org_bad_param(struct request *req, const char *name, const char *why);

/* The region a list or statistics covers: under (NULL: the caller's own region), narrowed to
 * the caller's jurisdiction. Returns NULL with 404 set when under lies outside it, or 400 when it
 * is no region code. */
const char *new_org_subtree(struct request *req, const char *under, const char *name);

#endif
