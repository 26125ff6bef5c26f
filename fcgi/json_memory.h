/* Where jansson's memory comes from: the arena of the request the thread is serving (arena
 * mode, for requests that only read: a list page builds thousands of small JSON values and
 * frees them all at its end, and from the arena each costs a pointer bump instead of a malloc
 * and a free), or the heap. */
#ifndef JICENG_JSON_MEMORY_H
#define JICENG_JSON_MEMORY_H

struct arena;

/* Makes jansson allocate through this module. Call once, before any thread or JSON value. */
void json_memory_install(void);

/* Arena mode on this thread: JSON values made from now on live in arena (NULL: on the heap
 * again). Switch only between requests: a value must be freed in the mode it was made in, and
 * all of them before the arena is reset (http_json registers a cleanup for the response).
 * In arena mode, what json_dumps returns is arena memory: never pass it to free(). */
void json_memory_use_arena(struct arena *arena);

/* Frees what jansson returned for the caller to free (json_dumps), in either mode. */
void json_memory_free(void *p);

#endif
