/* The per-thread session cache: a small direct-mapped table keyed by the token. */
#include "session_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"

enum { SLOTS = 64 };

struct slot {
    char token[SESSION_TOKEN_LENGTH + 1]; /* "" when empty */
    double at;                            /* monotonic seconds when it was read */
    struct session session;               /* strings in strings */
    char *strings;
};

static _Thread_local struct slot slots[SLOTS];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Tokens are random, so a few of their characters spread them well enough. */
static struct slot *slot_of(const char *token)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 8 && token[i]; i++)
        h = (h ^ (unsigned char)token[i]) * 16777619u;
    return &slots[h % SLOTS];
}

static void empty(struct slot *slot)
{
    free(slot->strings);
    memset(slot, 0, sizeof *slot);
}

bool session_cache_get(struct arena *a, const char *token, int ttl, struct session *out)
{
    struct slot *slot = slot_of(token);
    if (ttl <= 0 || strcmp(slot->token, token) != 0)
        return false;
    if (now() - slot->at >= ttl) {
        empty(slot);
        return false;
    }
    *out = slot->session;
    out->who.username = arena_strdup(a, slot->session.who.username);
    out->who.dn = arena_strdup(a, slot->session.who.dn);
    out->who.display_name = arena_strdup(a, slot->session.who.display_name);
    out->expires_at = arena_strdup(a, slot->session.expires_at);
    return true;
}

/* Copies src after *end and returns where it went. */
static const char *append(char **end, const char *src)
{
    char *at = *end;
    size_t len = strlen(src) + 1;
    memcpy(at, src, len);
    *end += len;
    return at;
}

void session_cache_put(const char *token, const struct session *s)
{
    if (s->needs_refresh)
        return; /* the next request must try the directory again */
    struct slot *slot = slot_of(token);
    empty(slot);
    const struct identity *who = &s->who;
    size_t size = strlen(who->username) + strlen(who->dn) + strlen(who->display_name) +
                  strlen(s->expires_at) + 4;
    char *strings = malloc(size), *end = strings;
    if (!strings)
        return; /* a cache may forget */
    slot->session = *s;
    slot->session.who.username = append(&end, who->username);
    slot->session.who.dn = append(&end, who->dn);
    slot->session.who.display_name = append(&end, who->display_name);
    slot->session.expires_at = append(&end, s->expires_at);
    slot->strings = strings;
    slot->at = now();
    memcpy(slot->token, token, SESSION_TOKEN_LENGTH + 1);
}

void session_cache_forget(long long id)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].token[0] && slots[i].session.id == id)
            empty(&slots[i]);
}

void session_cache_clear(void)
{
    for (int i = 0; i < SLOTS; i++)
        empty(&slots[i]);
}
