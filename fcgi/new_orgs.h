/* New economic and social organisations (两新组织): what the handlers in new_orgs.c,
 * new_org_coverage.c, new_org_links.c, new_org_stats.c, new_org_files.c and the import
 * (import_new_orgs.c) share. Every statement behind them
 * reads and writes the my_new_org* views (migration 008), so a thing outside the caller's
 * jurisdiction is never found (404). */
#ifndef JICENG_NEW_ORGS_H
#define JICENG_NEW_ORGS_H

#include <jansson.h>
#include <stdbool.h>

#include "fields.h"
#include "request.h"

struct db_stmt;

extern const char *const new_org_kinds[];    /* economic, social */
extern const char *const new_org_ratings[];  /* none, up_to_standard, excellent */
extern const char *const new_org_coverages[]; /* none, committee, liaison_officer */
extern const char *const new_org_conditions[]; /* stable_operation, stable_female_workforce,
                                                  suitable_chair: "two stable, one suitable" */
/* The Chinese names of the codes above, in the same order, for import and export files. */
extern const char *const new_org_kind_names[], *const new_org_rating_names[],
    *const new_org_condition_names[];

/* The columns of the statements that read organisations (new_org_list_execute's rows). */
enum new_org_column {
    NEW_ORG_ID, NEW_ORG_REGION, NEW_ORG_REGION_NAME, NEW_ORG_NAME, NEW_ORG_CREDIT_CODE,
    NEW_ORG_KIND, NEW_ORG_SECTOR, NEW_ORG_EMPLOYEES, NEW_ORG_FEMALE_EMPLOYEES, NEW_ORG_RATING,
    NEW_ORG_STABLE_OPERATION, NEW_ORG_STABLE_FEMALE_WORKFORCE, NEW_ORG_SUITABLE_CHAIR,
    NEW_ORG_CONTACT_NAME, NEW_ORG_CONTACT_PHONE, NEW_ORG_COVERAGE, NEW_ORG_COMMITTEE_ID,
    NEW_ORG_LIAISON_POSITION_ID, NEW_ORG_COVERED_ON, NEW_ORG_LINK_COUNT, NEW_ORG_VERSION,
};

/* The stored record of a new organisation as the caller sees it, with its recommendation;
 * contact_phone masked unless unmasked (the audit log gets it whole). Locked for update when
 * lock. Sets *rc to DB_ROW (new reference returned), DB_DONE (not in the jurisdiction: NULL) or
 * an error (NULL). */
json_t *new_org_row(struct request *req, long long id, bool lock, bool unmasked, int *rc);

/* The recommendation the rules give (DOMAIN.md): {"kind", "failing_conditions", "priority"}.
 * New reference. */
struct new_org_conditions;
json_t *new_org_recommendation_json(long long female_employees,
                                    const struct new_org_conditions *c, const char *rating);

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

/* ---- What a client may set (new_org_values.c) ------------------------------------------ */

/* NULL and -1 members were not given (in a PATCH or an import's update: keep). */
struct new_org_values {
    const char *region_name; /* of region, for the audit entry of a new one; NULL: unknown */
    const char *region, *name, *credit_code, *sector, *contact_name, *contact_phone;
    int kind, rating; /* indexes in new_org_kinds, new_org_ratings */
    long long employees, female_employees;
    int conditions[3]; /* -1 not given, else 0 or 1, in the order of new_org_conditions */
    bool contact_name_given, contact_phone_given;
};

/* Reads the members present (not region) from f; p says whether those a new organisation needs
 * are required. The credit code is upper-cased and checked (GB 32100). */
void new_org_values_read(struct fields *f, struct new_org_values *v, enum presence p);

/* The checks across members, on the values the organisation will hold (female <= total). */
void new_org_values_check(struct fields *f, const struct new_org_values *v);

/* Fills what v leaves out from row, a stored record (new_org_row, unmasked). */
void new_org_values_merge(struct new_org_values *v, const json_t *row);

/* True when a and b (both merged or both complete) hold the same. */
bool new_org_values_equal(const struct new_org_values *a, const struct new_org_values *b);

/* DB_ROW with *level (enum region_level) and *name (arena memory) when the caller's view holds
 * the region, DB_DONE when not, or an error. */
int new_org_region_level(struct request *req, const char *code, long long *level,
                         const char **name);

/* Inserts v (region and every required member set) through my_new_org with its audit entry
 * (batched when req->audit_batch; its record built from what was written, not read back).
 * DB_OK with *id set, DB_DUPLICATE when the credit code is registered already, or an error.
 * The caller holds the transaction. */
int new_org_insert(struct request *req, const struct new_org_values *v, long long *id);

/* Updates id to v (merged) with a version bump and its audit entry; before is its stored row,
 * locked (new_org_row with lock and unmasked). DB_OK, DB_DUPLICATE, or an error. */
int new_org_store(struct request *req, long long id, const json_t *before,
                  const struct new_org_values *v);

/* ---- The list (new_orgs.c) ------------------------------------------------------------- */

struct new_org_list_query {
    const char *under, *name; /* name: a LIKE pattern */
    int kind, rating, coverage, linked; /* indexes, -1 for any */
    char after_region[13];
    long long after_id;
    long limit;
};

/* Reads the list's query parameters (under, kind, rating, coverage, linked, name, cursor,
 * limit). 0, or 400 / 404 (under outside the jurisdiction) with the answer set. */
int new_org_list_read(struct request *req, struct new_org_list_query *q);

/* Runs the list's statement: up to q->limit + 1 rows of enum new_org_column from q's keyset
 * position on, in (region, id) order. DB_OK with *st to fetch from, or an error. */
int new_org_list_execute(struct request *req, const struct new_org_list_query *q,
                         struct db_stmt **st);

/* ---- Coverage statistics (new_org_stats.c) ------------------------------------------------ */

/* The document of GET /new-organisations/statistics for ?region= (default: the caller's).
 * Returns 0 with *doc (new reference), or the status with the answer set. */
int new_org_statistics_read(struct request *req, json_t **doc);

#endif
