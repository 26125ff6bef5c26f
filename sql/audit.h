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

#endif
