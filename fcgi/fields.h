/* Reading the members of a JSON request body, each checked as it is read. The first bad member
 * sets a 422 answer naming the field and the reason; later reads are skipped, and fields_end
 * says whether the handler may go on. So a handler reads its input like a form:
 *
 *     struct fields f;
 *     if (fields_begin(&f, req) != 0)
 *         return req->status;
 *     const char *name = field_text(&f, "name", 1, 200, REQUIRED);
 *     int term = (int)field_int(&f, "term_years", 3, 5, 0, OPTIONAL);
 *     if (fields_end(&f) != 0)
 *         return req->status;
 */
#ifndef JICENG_FIELDS_H
#define JICENG_FIELDS_H

#include <stdbool.h>

#include "request.h"

enum presence { OPTIONAL, REQUIRED };

struct fields {
    struct request *req;
    json_t *body;
    bool failed;
    /* NULL for a request body. An array to check a record in full (a row of an import): every
     * failure is appended as {"field", "code", "message"} and the reads go on, so one pass
     * finds all that is wrong; the answer is not set. Borrowed. */
    json_t *errors;
};

/* The body must be a JSON object: 0, or 400 with the answer set. */
int fields_begin(struct fields *f, struct request *req);

/* 0 when every read went well, else the status of the first failure (its answer is set). */
int fields_end(const struct fields *f);

/* True when the body has the member, even as null: for partial updates. */
bool field_present(const struct fields *f, const char *name);

/* Text of min to max characters (not bytes), spaces around it trimmed; NULL when absent or
 * null and optional. Arena memory. */
const char *field_text(struct fields *f, const char *name, int min, int max, enum presence p);

/* One of the values in allowed (a NULL-terminated list); its index, or -1 when absent. */
int field_enum(struct fields *f, const char *name, const char *const *allowed, enum presence p);

/* A calendar date "YYYY-MM-DD" between 1900-01-01 and 2199-12-31; NULL when absent. */
const char *field_date(struct fields *f, const char *name, enum presence p);

/* A whole number in [min, max]; fallback when absent. */
long long field_int(struct fields *f, const char *name, long long min, long long max,
                    long long fallback, enum presence p);

/* true or false; fallback when absent. */
bool field_bool(struct fields *f, const char *name, bool fallback, enum presence p);

/* Records a failure found by the caller's own check (an ID number's check digit, a date after
 * another): 422 with code, field and message, unless an earlier read failed already; with
 * f->errors, appended there instead. */
void field_fail(struct fields *f, const char *name, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Today's date in UTC as "YYYY-MM-DD", for checks such as "not in the future". */
void date_today(char out[11]);

/* True when text is a valid calendar date "YYYY-MM-DD" (any year 1000-9999). */
bool date_valid(const char *text);

#endif
