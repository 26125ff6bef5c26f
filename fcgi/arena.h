/* A request-scoped memory arena: allocate freely during a request, free everything at its end. */
#ifndef JICENG_ARENA_H
#define JICENG_ARENA_H

#include <stddef.h>

struct arena;

/* Makes an empty arena. Out of memory is fatal here and in every allocation below, so callers
 * need no NULL checks after small allocations. */
struct arena *arena_new(void);

/* Frees every allocation, after running the registered cleanups in reverse order. The arena
 * can be used again afterwards: workers keep one and reset it per request. */
void arena_reset(struct arena *a);

/* Resets and frees the arena itself. */
void arena_free(struct arena *a);

/* size bytes, aligned for any type, uninitialised / zeroed. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_zalloc(struct arena *a, size_t size);

/* Copies of strings, always NUL-terminated. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs fn(data) at the next reset: for things that are not arena memory (json_t values,
 * directory handles), so a long-lived worker cannot leak them. */
void arena_cleanup(struct arena *a, void (*fn)(void *), void *data);

/* Out of memory: logs and exits. Used by the arena and any malloc wrapper. */
_Noreturn void out_of_memory(void);

#endif
