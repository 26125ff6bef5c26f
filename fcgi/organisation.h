/* Organisations: the rules, JSON shapes and list cursor that the handlers in organisations.c
 * share with organisation_json.c (kept apart so they can be unit-tested without a database). */
#ifndef JICENG_ORGANISATION_H
#define JICENG_ORGANISATION_H

#include <jansson.h>
#include <stdbool.h>

#include "region_code.h"

struct arena;
struct db_stmt;

enum org_kind { KIND_FEDERATION, KIND_CONGRESS, KIND_COMMITTEE };

/* NULL-terminated lists of the names the API and the database use; the index of a name in
 * org_kinds is its enum org_kind, in org_levels it is its enum region_level minus one. */
extern const char *const org_kinds[];
extern const char *const org_host_kinds[];
extern const char *const org_levels[];

/* The index of name in a NULL-terminated list, or -1. */
int org_name_index(const char *const *list, const char *name);

/* NULL when an organisation of kind may exist in a region of level, else why not (DOMAIN.md:
 * a women's congress only in a village, a women's committee under a township or county). */
const char *org_kind_refused(enum org_kind kind, enum region_level level);

/* The columns org_json reads, selected from my_organisation o LEFT JOIN my_region r. */
#define ORG_COLUMNS                                                                            \
    "o.id, o.region, r.name AS region_name, o.level, o.kind, o.host_kind, o.name,"            \
    " o.converted_on, o.term_start, o.term_years, o.term_end, o.village_committee_election,"  \
    " o.next_due, o.version"
/* As many NULLs, for a row of a UNION that carries no organisation. */
#define ORG_NO_COLUMNS                                                                         \
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"

/* The ORG of the current row, read from ORG_COLUMNS starting at column first. New reference. */
json_t *org_json(struct db_stmt *st, int first);

/* The columns office_holder_json reads, from my_position p LEFT JOIN my_person pe. */
#define OFFICE_HOLDER_COLUMNS                                                                  \
    "p.id, p.person_id, pe.name, p.role, p.full_time, p.in_two_committees, p.term_start,"     \
    " p.start_date, p.end_date, p.end_reason, p.succeeds_id"

/* One office holder of the current row, from OFFICE_HOLDER_COLUMNS, with "succeeded_by" null.
 * New reference. */
json_t *office_holder_json(struct db_stmt *st);

/* Sets "succeeded_by" of each holder in holders (an array of office_holder_json objects) to
 * the lowest id of the holders whose "succeeds_id" names it. A successor is always in the same
 * organisation, so the holders of one organisation hold all of them. */
void link_successors(json_t *holders);

/* ---- organisations.c: the list (GET /api/v1/organisations), shared with its export ------- */

struct request;

/* What a list page asks for; NULL or 0 for a filter not given. */
struct org_list_query {
    const char *under, *kind, *due_before;
    long long level; /* 0: any */
    char after_region[13]; /* the keyset position: "" and 0 before the first */
    long long after_id;
    long limit;
};

/* Reads and checks the list's query parameters into q: 0, or 400 with the answer set. */
int org_list_read(struct request *req, struct org_list_query *q);

/* Executes the page of q after its keyset position: up to q->limit + 1 organisations in
 * (region, id) order, each as column 0 NULL followed by ORG_COLUMNS, and one row with a NULL
 * id (column 1) whose column 0 counts whether the caller sees the region q->under. The rows
 * are in *st, to be fetched by the caller. DB_OK or an error. */
int org_list_execute(struct request *req, const struct org_list_query *q, struct db_stmt **st);

/* The next_cursor of a list page that ended at (region, id): opaque to clients. Arena memory. */
const char *org_cursor(struct arena *a, const char *region, long long id);

/* Reads a cursor made by org_cursor into region (13 bytes) and id; false when it is not one. */
bool org_cursor_parse(const char *cursor, char region[13], long long *id);

#endif
