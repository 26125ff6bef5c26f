/* Sessions in MariaDB: any worker on any host finds a session by the hash of its token.
 *
 * The browser holds a 256-bit random token in a cookie; the table holds only its SHA-256 and a
 * snapshot of the identity the directory gave. A session ends at logout, at revocation, after
 * [session] idle_timeout minutes without a request, after absolute_timeout minutes whatever
 * happens, or when a refresh finds that the directory no longer vouches for the user. */
#ifndef JICENG_SESSION_H
#define JICENG_SESSION_H

#include <stdbool.h>

#include "directory.h"

struct arena;
struct config;
struct db;

enum { SESSION_TOKEN_LENGTH = 43 }; /* 32 bytes in base64url without padding */

struct session {
    long long id;
    struct identity who;   /* username is the login name typed at login */
    const char *expires_at; /* the absolute timeout, ISO 8601 UTC */
    bool needs_refresh;    /* the snapshot is older than refresh_interval */
    bool past_grace;       /* ... and older than refresh_interval + outage_grace */
};

/* What the caller knows about the request that logs in, for the row and the audit log. */
struct session_origin {
    const char *address, *user_agent, *request_id;
};

/* Makes a new token into token (SESSION_TOKEN_LENGTH + 1 bytes) and stores the session of who,
 * with an audit entry, in one transaction. Fills *out (strings in a). Returns DB_OK or a db.h error. */
int session_create(struct db *db, struct arena *a, const struct config *cfg,
                   const struct identity *who,
                   const struct session_origin *origin, char *token, struct session *out);

/* The token in a Cookie header value under the name cookie_name; NULL when there is none or it
 * does not have the shape of a token (so a junk cookie never reaches the database). */
const char *session_token_from_cookie(struct arena *a, const char *cookie_header,
                                      const char *cookie_name);

/* Finds the live session of token. Returns DB_ROW with *out filled (arena strings), DB_DONE when
 * there is none (unknown, ended, idle or expired), or an error. Marks the session seen. */
int session_find(struct db *db, struct arena *a, const struct config *cfg, const char *token,
                 struct session *out);

/* Stores what a refresh read from the directory as the session's new snapshot. */
int session_update_identity(struct db *db, struct session *s, const struct identity *fresh);

/* Ends the live session id, if it lies within region (a prefix: "" for any), with an audit
 * entry naming actor, in one transaction. reason is "logout", "revoked", "refused:<auth result>"
 * and the like. Returns DB_OK, DB_DONE when no live session matched, or an error. */
int session_end(struct db *db, long long id, const char *region, const char *reason,
                const struct session *actor, const struct session_origin *origin);

#endif
