/* Request arena: chunks of memory handed out by bumping a pointer, freed all at once. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A worker keeps up to MAX_SPARE chunks between requests: a list page fills a few hundred
 * kilobytes, and giving them back to malloc at every reset had glibc return the pages to the
 * kernel and fault them in again on the next request. */
enum { CHUNK_SIZE = 16 * 1024, MAX_SPARE = 64, ALIGN = _Alignof(max_align_t) };

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *data;
};

struct arena {
    struct chunk *chunks;   /* the one being filled first */
    struct chunk *base;     /* the first chunk, kept across resets */
    struct chunk *spare;    /* chunks of CHUNK_SIZE kept from earlier requests */
    int spare_count;
    struct cleanup *cleanups;
};

_Noreturn void out_of_memory(void)
{
    static const char msg[] = "jiceng: out of memory\n";
    (void)!write(2, msg, sizeof msg - 1);
    abort();
}

static struct chunk *chunk_new(size_t size, struct chunk *next)
{
    struct chunk *c = malloc(sizeof *c + size);
    if (!c)
        out_of_memory();
    c->next = next;
    c->size = size;
    c->used = 0;
    return c;
}

/* A spare chunk, emptied, in front of the chunks being filled. */
static struct chunk *reuse_spare(struct arena *a)
{
    struct chunk *c = a->spare;
    a->spare = c->next;
    a->spare_count--;
    c->next = a->chunks;
    c->used = 0;
    return c;
}

struct arena *arena_new(void)
{
    struct arena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    a->chunks = a->base = chunk_new(CHUNK_SIZE, NULL);
    return a;
}

void arena_reset(struct arena *a)
{
    while (a->cleanups) {
        struct cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->data);
    }
    /* Keep the first chunk (most requests fit in it, so they never call malloc) and spares of
     * the usual size; large blocks go back. */
    for (struct chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        if (c == a->base)
            continue;
        if (c->size == CHUNK_SIZE && a->spare_count < MAX_SPARE) {
            c->next = a->spare;
            a->spare = c;
            a->spare_count++;
        } else {
            free(c);
        }
    }
    a->chunks = a->base;
    a->base->next = NULL;
    a->base->used = 0;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    arena_reset(a);
    for (struct chunk *c = a->spare, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a->base);
    free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t rounded = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded < size)
        out_of_memory();
    struct chunk *c = a->chunks;
    if (c->size - c->used < rounded) {
        size_t want = rounded > CHUNK_SIZE ? rounded : CHUNK_SIZE;
        if (rounded > CHUNK_SIZE / 4) {
            /* A large block gets a chunk of its own behind the current one, so the current
             * chunk's free space is not wasted. */
            c->next = chunk_new(rounded, c->next);
            c->next->used = rounded;
            return c->next->data;
        }
        c = a->chunks = want == CHUNK_SIZE && a->spare ? reuse_spare(a) : chunk_new(want, a->chunks);
    }
    void *p = c->data + c->used;
    c->used += rounded;
    return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
    return memset(arena_alloc(a, size), 0, size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *copy = arena_alloc(a, n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *s = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void arena_cleanup(struct arena *a, void (*fn)(void *), void *data)
{
    struct cleanup *c = arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->data = data;
    c->next = a->cleanups;
    a->cleanups = c;
}
