/* The loop every export shares: a list's own keyset statement run chunk after chunk inside one
 * read-only transaction (so every chunk reads the same snapshot and the list's filters, sort and
 * jurisdiction hold), each chunk written out before the next is read, so that memory holds one
 * chunk whatever the size of the list; it stops when the client goes away. */
#ifndef JICENG_EXPORT_CHUNKS_H
#define JICENG_EXPORT_CHUNKS_H

#include <stdbool.h>

#include "db.h"
#include "request.h"
#include "table_out.h"

struct export_chunks {
    long limit; /* rows per chunk: the statement is asked for one more */
    /* Runs the statement of the next chunk, from the keyset position remember left. */
    int (*execute)(struct request *req, void *list, struct db_stmt **st);
    /* Optional: true for a row of the statement that is not a row of the table. */
    bool (*skip)(struct db_stmt *st);
    /* Writes the cells of one row. */
    void (*row)(struct table_out *t, struct db_stmt *st, void *list);
    /* Keeps the keyset position of the chunk's last row for the next chunk. */
    void (*remember)(struct db_stmt *st, void *list);
};

/* Writes the rows of list (the state the callbacks share: its query and whatever its rows
 * need) to t, and ends the export (table_export_end). Returns the status. */
int export_chunks_run(struct request *req, struct table_out *t, const struct export_chunks *e,
                      void *list);

#endif
