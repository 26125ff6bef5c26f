/* Cadres: what the handlers in cadres.c, positions.c, training.c and roster.c share. Every
 * statement behind these reads and writes the my_* views only, so a person, position or
 * organisation outside the caller's jurisdiction is never found. */
#ifndef JICENG_CADRES_H
#define JICENG_CADRES_H

#include <jansson.h>
#include <stdbool.h>

#include "fields.h"
#include "request.h"

/* The names the API and the database use, NULL-terminated. A level's number (1 province ..
 * 5 village) is its index in cadre_levels plus one. */
extern const char *const cadre_genders[];
extern const char *const cadre_educations[];
extern const char *const cadre_political[];
extern const char *const cadre_occupations[];
extern const char *const cadre_roles[];
extern const char *const cadre_levels[];

/* ---- cadres.c ---------------------------------------------------------------------------- */

/* What a client may set on a person. NULL members were not given (in a PATCH: keep). */
struct person_values {
    const char *name, *gender, *birth_date, *ethnicity, *education, *political_status;
    const char *id_number, *mobile, *occupation;
    bool mobile_given; /* mobile was in the body, perhaps as null (PATCH: clear it) */
};

/* Reads the person members of f that are present into v; p says whether the ones a new person
 * needs are required. The API's body and an import's row go through this one reader. */
void cadre_person_read(struct fields *f, struct person_values *v, enum presence p);

/* The checks across members: the ID number's own check and its agreement with the birth date,
 * which must not lie in the future. Skipped when a read failed already. */
void cadre_person_check(struct fields *f, const struct person_values *v);

/* Inserts a checked person on the roll of region, with her audit entry, in the caller's
 * transaction. Returns 0 with *id set, or an error status with the answer set (409 duplicate
 * when the ID number is on the roll already, perhaps outside the jurisdiction). */
int cadre_person_insert(struct request *req, const char *region, const struct person_values *v,
                        long long *id);

/* Inserts the checked persons v[0..n), person i on the roll of regions[i], with their audit
 * entries, many to a statement (db_rows.h): an import's. Sets ids[i], 0 for a person whose ID
 * number is on the roll already (perhaps outside the jurisdiction; the others are written).
 * Returns 0, or an error status with the answer set. */
int cadre_persons_insert(struct request *req, const char *const *regions,
                         const struct person_values *const *v, int n, long long *ids);

/* v (complete, checked) as the JSON text a plan or proposal keeps until the person is entered
 * on the roll (a new re-election candidate, a new liaison officer). Free it with
 * json_memory_free. */
char *cadre_person_data(const struct person_values *v);

/* The person holder names: its person_id of the roster, or else its "person" (the record
 * cadre_person_data made, parsed) entered on the roll of region now. Returns 0 with *person_id
 * set, or an error status with the answer set. */
int cadre_person_of(struct request *req, const json_t *holder, const char *region,
                    long long *person_id);

/* Stores v (complete, checked) over the person id whose locked row is before (from
 * cadre_person_row), with the audit entry. Returns 0 or an error status with the answer set. */
int cadre_person_store(struct request *req, long long id, const json_t *before,
                       const struct person_values *v);

/* The path parameter name as a positive id; 0 with a 400 answer set when it is not one. */
long long cadre_path_id(struct request *req, const char *name);

/* The 404 for a person id that is not in the caller's jurisdiction. Returns 404. */
int cadre_not_found(struct request *req, long long id);

/* Runs step(req, data) in one transaction: commits when it returns 0, else rolls back and
 * returns its status (the answer set by step). A failed commit answers 503 or 500. */
int cadre_in_transaction(struct request *req, int (*step)(struct request *, void *), void *data);

/* Whole years from birth (YYYY-MM-DD) to today (YYYY-MM-DD). */
int cadre_age(const char *birth, const char *today);

/* date minus years, as YYYY-MM-DD; 29 February becomes 28 February in a common year. */
void cadre_years_before(const char *date, int years, char out[11]);

/* Training is due when the last one (NULL: never) lies before the later of the term's start
 * (NULL: none known) and two years before today (two_years_ago). */
bool cadre_training_due(const char *last_training_on, const char *term_start,
                        const char *two_years_ago);

/* Appends an audit entry for a change of business data, with the caller as actor, inside the
 * caller's transaction. Returns DB_OK or a db.h error. */
int cadre_audit(struct request *req, const char *region, const char *action, const char *entity,
                long long id, const json_t *before, const json_t *after);

/* The person's stored record (ID and mobile numbers in full, for the audit log), read through
 * my_person, locked for update when lock. Sets *rc to DB_ROW (new reference returned), DB_DONE
 * (not in the jurisdiction: NULL) or an error (NULL). */
json_t *cadre_person_row(struct request *req, long long id, bool lock, int *rc);

/* The records of the persons ids[0..n) (1 <= n <= DB_ROWS_MAX), as cadre_person_row reads
 * them, locked, in one statement: set in rows under their ids as text. Those not in the
 * jurisdiction are left out. Returns DB_OK or an error. */
int cadre_person_rows_locked(struct request *req, const long long *ids, int n, json_t *rows);

/* ---- positions.c ------------------------------------------------------------------------- */

/* What a new position says, as read from a body. */
struct position_input {
    long long organisation_id;
    int role;               /* index in cadre_roles */
    bool full_time, in_two_committees;
    const char *start_date; /* YYYY-MM-DD */
    long long succeeds_id;  /* 0: none */
};

/* Reads the members of a position from f (the body, or the "position" object of one). */
void position_input_read(struct fields *f, struct position_input *in);

/* The organisation a position is added to, as the caller sees it. */
struct position_org {
    long long id, level;
    char region[13], kind[24], term_start[11]; /* term_start "" when it has no term */
    char name[801];                            /* 200 characters of up to 4 bytes */
};

/* Loads the organisation for a new position. Returns 0, or an error status with the answer set:
 * 404 (field organisation_id) when it is not in the caller's jurisdiction. */
int position_org_load(struct request *req, long long id, struct position_org *org);

/* Adds a position of the person in org (loaded with position_org_load), within the caller's
 * transaction, with its audit entry; when in->succeeds_id is set, ends that position on the new
 * one's start date too. Returns 0 with *id set, or an error status with the answer set. */
int position_add(struct request *req, long long person_id, const struct position_input *in,
                 const struct position_org *org, long long *id);

/* Adds n positions at once, position i of person_ids[i] as in[i] says in orgs[i], with their
 * audit entries, many to a statement (db_rows.h): an import's. None may succeed another
 * (in[i]->succeeds_id 0: position_add ends the one succeeded). Returns 0, or an error status
 * with the answer set. */
int positions_add(struct request *req, const long long *person_ids,
                  const struct position_input *const *in, const struct position_org *const *orgs,
                  int n);

/* The positions of a person that the caller may see, oldest first, as a new JSON array; NULL
 * with *rc set on a database error. */
json_t *position_list_of(struct request *req, long long person_id, int *rc);

#endif
