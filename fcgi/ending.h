/* Ending a row that is never deleted, so that its history stays: a cadre's position, an
 * executive member's link to a new organisation. */
#ifndef JICENG_ENDING_H
#define JICENG_ENDING_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

/* What one kind of row is ended with, and the request to end one. */
struct ending {
    const char *noun;   /* in the messages: "position", "link" */
    const char *entity; /* in the audit log */
    /* The row as JSON (with id, region, start_date, end_date and version), locked when lock;
     * NULL with *rc DB_DONE when it is not in the caller's jurisdiction. */
    json_t *(*row)(struct request *req, long long id, bool lock, int *rc);
    /* Binds end_date, reason (when the kind has one), id and version; ends only a current row
     * of that version. */
    const char *statement;
    long long id, version;
    const char *end_date;
    const char *reason; /* NULL for a kind without one */
};

/* Ends the row of e, whose locked row before was checked already: the update, the row read back
 * into *after (a new reference, or NULL) and the audit entry. Returns DB_OK or a db.h error. */
int ending_write(struct request *req, const struct ending *e, const json_t *before,
                 json_t **after);

/* A step for cadre_in_transaction (data: a struct ending): ends the row after checking that it
 * is in the jurisdiction (404), current and of the version the caller read (409), and began on
 * or before end_date (422); writes the audit entry. Returns 0 or the status of the answer set. */
int ending_step(struct request *req, void *data);

#endif
