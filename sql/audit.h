/* The append-only audit log: every change of business data, written by the caller inside the
 * transaction of the change, so a change and its record commit or vanish together. */
#ifndef JICENG_AUDIT_H
#define JICENG_AUDIT_H

#include <jansson.h>

struct db;

struct audit_entry {
    const char *actor;        /* username, or the command that acted */
    const char *actor_region; /* the actor's jurisdiction; "" for commands */
    const char *region;       /* where the changed thing lies */
    const char *action;       /* e.g. "create", "update", "end", "login", "revoke" */
    const char *entity;       /* e.g. "session", "cadre" */
    const char *entity_id;
    const json_t *before, *after; /* NULL when there is none (create, delete) */
    const char *request_id, *address;
};

/* Appends e to the audit log. Returns DB_OK or a db.h error; the caller rolls back on error. */
int audit_write(struct db *db, const struct audit_entry *e);

/* Entries collected to be written many to a statement, for a job that changes thousands of
 * rows in one transaction (an import): one round trip per entry would cost more than the
 * changes themselves. The caller flushes before it commits, so the entries still commit or
 * vanish with their changes. */
struct audit_batch;

/* An empty batch. Never NULL (out of memory is fatal). */
struct audit_batch *audit_batch_new(void);

/* Copies e into the batch, and writes the batch when it is full. Returns DB_OK or an error. */
int audit_batch_add(struct db *db, struct audit_batch *b, const struct audit_entry *e);

/* Writes what the batch holds. Returns DB_OK or an error. */
int audit_batch_flush(struct db *db, struct audit_batch *b);

/* Frees the batch and what it still holds, written or not. NULL is fine. */
void audit_batch_free(struct audit_batch *b);

#endif
