/* Organisations: the rules, JSON shapes and list cursor that the handlers in organisations.c
 * share with organisation_json.c (kept apart so they can be unit-tested without a database). */
#ifndef JICENG_ORGANISATION_H
#define JICENG_ORGANISATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "region_code.h"

struct arena;
struct db_stmt;
struct fields;
struct json_out;
struct request;

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

/* The members of the ORG of the current row, read from ORG_COLUMNS starting at column first,
 * written into an open object (fcgi/json_out.h); org_out writes the object around them. */
void org_out_members(struct json_out *o, struct db_stmt *st, int first);
void org_out(struct json_out *o, struct db_stmt *st, int first);

/* The same ORG as a json_t, for the writes that keep it (audit entries). New reference. */
json_t *org_json(struct arena *a, struct db_stmt *st, int first);

/* The columns office_holder_read reads, from my_position p LEFT JOIN my_person pe. */
#define OFFICE_HOLDER_COLUMNS                                                                  \
    "p.id, p.person_id, pe.name, p.role, p.full_time, p.in_two_committees, p.term_start,"     \
    " p.start_date, p.end_date, p.end_reason, p.succeeds_id"

/* An office holder, copied out of a row of OFFICE_HOLDER_COLUMNS. Text is arena memory or
 * NULL (name is NULL when the person's record lies outside the caller's jurisdiction); an id
 * of 0 is none. */
struct office_holder {
    long long position_id, person_id, succeeds_id, succeeded_by;
    const char *name, *role, *term_start, *start_date, *end_date, *end_reason;
    bool full_time, in_two_committees;
};

/* Reads the holder of the current row from OFFICE_HOLDER_COLUMNS starting at column first,
 * with succeeded_by 0. */
void office_holder_read(struct arena *a, struct db_stmt *st, int first, struct office_holder *h);

/* Puts the n holders in the order of the page: current holders first, by rank of office,
 * then by start date and id; then the past ones, the latest to leave first (then as current
 * ones). In C rather than in SQL: sorting the rows of an outer join took MariaDB a temporary
 * table, where the holders are in an array here anyway. */
void office_holders_sort(struct office_holder *holders, size_t n);

/* Sets succeeded_by of each of the n holders to the lowest position_id of the holders whose
 * succeeds_id names it. A successor is always in the same organisation, so the holders of one
 * organisation hold all of them. */
void link_successors(struct office_holder *holders, size_t n);

/* {"current": [...], "past": [...]}: the holders without an end date and those with one, each
 * in the order given. */
void office_holders_out(struct json_out *o, const struct office_holder *holders, size_t n);

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

/* ---- organisations.c: what the API's handlers share with the organisation import -------- */

/* What an organisation holds that a client may set: the body of a POST, or the row merged with
 * the body of a PATCH. Strings are arena or JSON memory; term_years 0 means no term. */
struct org_values {
    const char *region;
    enum region_level level;
    int kind; /* enum org_kind */
    const char *host_kind, *name, *converted_on, *term_start, *village_election;
    long long term_years;
};

/* Reads the members of a POST body (or an import's row) into v, each checked on its own. */
void org_values_read(struct fields *f, struct org_values *v);

/* The rules every organisation keeps whoever wrote it (what may exist where, a committee's
 * host, a whole term, 会改联); each broken one fails the field. Skipped after a failure. */
void org_values_check(struct fields *f, const struct org_values *v);

/* DB_ROW when the caller's view holds the region code, DB_DONE when not, or an error. */
int org_region_visible(struct request *req, const char *code);

/* The ORG with id in *out (new reference): DB_ROW, DB_DONE when it is not in the jurisdiction,
 * or an error. */
int org_read(struct request *req, long long id, json_t **out);

/* The values an ORG holds, borrowed from it; and whether two hold the same. */
struct org_values org_values_of(const json_t *org);
bool org_values_equal(const struct org_values *a, const struct org_values *b);

/* Merges the members of a PATCH body (or an import's row) present in f into v, which holds
 * the row as it is (version its version): a member sent as null clears what may be empty.
 * Sets *converting for 会改联. 0, or 409/422 with the answer set. */
int org_patch_values(struct request *req, struct fields *f, long long version,
                     struct org_values *v, bool *converting);

/* Inserts checked values with the audit entry, in the caller's transaction. 0 with *id set,
 * or an error status with the answer set (409 duplicate: the region has its federation). */
int org_insert(struct request *req, const struct org_values *v, long long *id);

/* Stores v over the organisation id whose row is before, with the audit entry, in the
 * caller's transaction. 0, or an error status with the answer set. */
int org_store(struct request *req, long long id, const json_t *before,
              const struct org_values *v, bool converting);

#endif
