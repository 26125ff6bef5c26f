/* jansson's allocator: request arena or heap, with a tag in front of each block saying which. */
#include "json_memory.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "arena.h"

/* Padded to max_align_t so the block after it stays aligned for any type. */
union tag {
    bool from_arena;
    max_align_t align;
};

static _Thread_local struct arena *current;
static bool installed; /* set once at start; unit tests that never install get malloc's blocks */

static void *json_memory_alloc(size_t size)
{
    if (size > (size_t)-1 - sizeof(union tag))
        return NULL;
    union tag *t = current ? arena_alloc(current, sizeof *t + size) : malloc(sizeof *t + size);
    if (!t)
        return NULL; /* jansson reports it; the arena never returns NULL */
    t->from_arena = current != NULL;
    return t + 1;
}

/* Arena blocks go when the arena is reset: freeing one is nothing. */
void json_memory_free(void *p)
{
    if (!p)
        return;
    if (!installed) {
        free(p);
        return;
    }
    union tag *t = (union tag *)p - 1;
    if (!t->from_arena)
        free(t);
}

void json_memory_install(void)
{
    json_set_alloc_funcs(json_memory_alloc, json_memory_free);
    installed = true;
}

void json_memory_use_arena(struct arena *arena)
{
    current = arena;
}
