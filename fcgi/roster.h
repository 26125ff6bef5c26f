/* The roster's query (GET /api/v1/roster), shared by its pages (roster.c) and its export
 * (export.c): the filters read from the query string, and one keyset page of them. */
#ifndef JICENG_ROSTER_H
#define JICENG_ROSTER_H

#include <stdbool.h>

#include "request.h"

struct db_stmt;

enum roster_sort { SORT_REGION, SORT_NAME, SORT_START };

/* What a page asks for; NULL or -1 for a filter not given. */
struct roster_query {
    const char *under, *kind, *role, *education, *name_pattern;
    int level, full_time, in_two_committees, party_member, training_due;
    char born_by[11], born_after[11]; /* "" when no age bound */
    enum roster_sort sort;
    const char *after_key; /* the keyset position: sort key and position id */
    long long after_id;
    long limit;
};

/* The columns of a roster row, in the order roster_execute selects them. */
enum roster_column {
    ROSTER_POSITION_ID, ROSTER_PERSON_ID, ROSTER_NAME, ROSTER_GENDER, ROSTER_BIRTH_DATE,
    ROSTER_EDUCATION, ROSTER_POLITICAL, ROSTER_ID_NUMBER, ROSTER_MOBILE, ROSTER_ORG_ID,
    ROSTER_ORG_NAME, ROSTER_REGION, ROSTER_LEVEL, ROSTER_KIND, ROSTER_ROLE, ROSTER_FULL_TIME,
    ROSTER_IN_TWO, ROSTER_START_DATE, ROSTER_TERM_START, ROSTER_LAST_TRAINING,
    ROSTER_PERSON_NAME
};

/* Reads the filters, sort, limit and cursor of the query string into q. Returns 0, or 400 with
 * the answer set. */
int roster_query_read(struct request *req, struct roster_query *q);

/* The depth of the subtree q covers (an argument of roster_execute). Returns false when under
 * lies outside the caller's jurisdiction altogether: nothing to list. */
bool roster_subtree_depth(const struct request *req, struct roster_query *q, int *depth);

/* Executes the page of q after its keyset position: up to q->limit + 1 rows (one more tells
 * whether another page follows) in *st, to be fetched by the caller. two_years_ago (YYYY-MM-DD)
 * is the bound of training_due. DB_OK or an error. */
int roster_execute(struct request *req, const struct roster_query *q, int depth,
                   const char *two_years_ago, struct db_stmt **st);

/* The sort key of the current row of a page, for the next keyset position. */
const char *roster_sort_key(struct db_stmt *st, enum roster_sort sort);

#endif
