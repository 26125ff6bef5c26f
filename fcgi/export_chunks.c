#include "export_chunks.h"

/* Writes the chunks from the keyset position on. DB_OK or an error; *gone when the client left.
 * The statement's extra row only tells whether another chunk follows. */
static int write_chunks(struct request *req, struct table_out *t, const struct export_chunks *e,
                        void *list, bool *gone)
{
    bool more = true;
    int rc = DB_OK;
    while (more && rc == DB_OK && !*gone) {
        struct db_stmt *st;
        if ((rc = e->execute(req, list, &st)) != DB_OK)
            break;
        long count = 0;
        more = false;
        while ((rc = db_fetch(st)) == DB_ROW) {
            if (e->skip && e->skip(st))
                continue;
            if (count == e->limit || *gone) {
                more = !*gone;
                continue; /* fetched to the end, so the statement can be run again */
            }
            e->row(t, st, list);
            *gone = table_end_row(t) != 0;
            if (++count == e->limit)
                e->remember(st, list);
        }
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    return rc;
}

int export_chunks_run(struct request *req, struct table_out *t, const struct export_chunks *e,
                      void *list)
{
    bool gone = false;
    int rc = db_begin(req->db);
    if (rc == DB_OK)
        rc = write_chunks(req, t, e, list, &gone);
    db_rollback(req->db); /* it only read */
    return table_export_end(req, t, rc, gone);
}
