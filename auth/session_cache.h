/* A worker thread's short memory of the sessions it has checked, so that a user's burst of
 * requests (a page and its API calls, or nginx's auth_request for every request of another
 * application) costs one database round trip per [session] cache_seconds, not one each.
 *
 * It is a cache and nothing more: the session lives in MariaDB, any worker on any host can
 * serve the next request, and an entry is trusted for cache_seconds at most. So a logout or a
 * revocation made through one worker reaches the others within cache_seconds (the worker that
 * made it forgets at once). With cache_seconds = 0 every request asks the database. */
#ifndef JICENG_SESSION_CACHE_H
#define JICENG_SESSION_CACHE_H

#include <stdbool.h>

#include "session.h"

struct arena;

/* The session of token if this thread checked it less than ttl seconds ago: true with *out
 * filled (strings in a). */
bool session_cache_get(struct arena *a, const char *token, int ttl, struct session *out);

/* Remembers s, as just read from the database, for token. */
void session_cache_put(const char *token, const struct session *s);

/* Forgets the session with id, after this thread ended it. */
void session_cache_forget(long long id);

/* Frees what the calling thread's cache holds: when a worker thread ends. */
void session_cache_clear(void);

#endif
