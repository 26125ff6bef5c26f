/* Where jansson's memory comes from: the arena of the request the thread is serving, or the
 * heap outside a request. A list page builds thousands of small JSON values and frees them all
 * at its end; from the arena they cost a pointer bump each instead of a malloc and a free. */
#ifndef JICENG_JSON_MEMORY_H
#define JICENG_JSON_MEMORY_H

struct arena;

/* Makes jansson allocate through this module. Call once, before any thread or JSON value. */
void json_memory_install(void);

/* From now on, JSON values made on this thread live in arena (NULL: on the heap again). Every
 * value made from an arena must be released before the arena is reset or with a cleanup
 * registered on it (http_json does this for the response). */
void json_memory_use_arena(struct arena *arena);

/* Frees what jansson returned for the caller to free (json_dumps), wherever it came from. */
void json_memory_free(void *p);

#endif
