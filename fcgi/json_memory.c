/* jansson's allocator: the request arena in arena mode, the heap otherwise. */
#include "json_memory.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>

#include "arena.h"

static _Thread_local struct arena *current;

static void *json_memory_alloc(size_t size)
{
    return current ? arena_alloc(current, size) : malloc(size);
}

/* In arena mode every block jansson frees came from the arena (the mode holds for a whole
 * request, and no JSON value outlives one), and goes when the arena is reset. */
void json_memory_free(void *p)
{
    if (!current)
        free(p);
}

void json_memory_install(void)
{
    json_set_alloc_funcs(json_memory_alloc, json_memory_free);
}

void json_memory_use_arena(struct arena *arena)
{
    current = arena;
}
