/* Role names and the map from directory groups to roles. */
#include "roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "ldap_escape.h"

static const char *const names[ROLE_COUNT] = {"viewer", "clerk", "approver", "admin"};

const char *role_name(unsigned role)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (role == 1u << i)
            return names[i];
    return NULL;
}

size_t roles_format(unsigned roles, char *buf, size_t len)
{
    size_t need = 0;
    if (len > 0)
        buf[0] = '\0';
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (!(roles & 1u << i))
            continue;
        const char *sep = need ? "," : "";
        if (need + strlen(sep) + strlen(names[i]) < len)
            snprintf(buf + need, len - need, "%s%s", sep, names[i]);
        need += strlen(sep) + strlen(names[i]);
    }
    return need;
}

/* The part of s[0..len) without spaces and tabs at either end, as start and length. */
static const char *trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

int roles_parse(const char *text, unsigned *roles)
{
    *roles = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, ",");
        const char *next = p + len + (p[len] == ',');
        const char *name = trim(p, &len);
        int i = 0;
        while (i < ROLE_COUNT && !(strlen(names[i]) == len && memcmp(names[i], name, len) == 0))
            i++;
        if (len > 0 && i == ROLE_COUNT)
            return -1;
        if (len > 0)
            *roles |= 1u << i;
        p = next;
    }
    return 0;
}

struct role_item {
    unsigned role;
    bool is_dn;
    const char *key; /* the normalised DN, or the group name as written */
};

struct role_map {
    struct arena *arena; /* holds the items and their keys */
    struct role_item *items;
    size_t count;
};

/* Adds the items of one role's list; -1 with err set when a DN does not parse. */
static int add_list(struct role_map *map, size_t cap, unsigned role, const char *list, char *err,
                    size_t errlen)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, "|");
        const char *next = p + len + (p[len] == '|');
        const char *item = trim(p, &len);
        p = next;
        if (len == 0 || map->count == cap)
            continue;
        struct role_item *it = &map->items[map->count];
        it->role = role;
        it->key = arena_strndup(map->arena, item, len);
        it->is_dn = memchr(item, '=', len) != NULL;
        if (it->is_dn && !(it->key = auth_dn_normalize(map->arena, it->key))) {
            snprintf(err, errlen, "[roles] %s: \"%.*s\" is not a valid DN", role_name(role),
                     (int)len, item);
            return -1;
        }
        map->count++;
    }
    return 0;
}

struct role_map *role_map_new(const char *const lists[ROLE_COUNT], char *err, size_t errlen)
{
    struct role_map *map = calloc(1, sizeof *map);
    if (!map)
        out_of_memory();
    map->arena = arena_new();
    size_t cap = 0;
    for (int i = 0; i < ROLE_COUNT; i++)
        for (const char *p = lists[i]; p && *p; p++)
            cap += p == lists[i] || *p == '|';
    map->items = arena_zalloc(map->arena, (cap + 1) * sizeof *map->items);
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (add_list(map, cap, 1u << i, lists[i], err, errlen) != 0) {
            role_map_free(map);
            return NULL;
        }
    }
    return map;
}

void role_map_free(struct role_map *map)
{
    if (!map)
        return;
    arena_free(map->arena);
    free(map);
}

bool role_map_empty(const struct role_map *map)
{
    return map->count == 0;
}

unsigned role_map_match(const struct role_map *map, struct arena *a, const char *group_dn)
{
    const char *dn = auth_dn_normalize(a, group_dn), *name = auth_dn_first_value(a, group_dn);
    unsigned roles = 0;
    for (size_t i = 0; i < map->count; i++) {
        const struct role_item *it = &map->items[i];
        /* Group names compare like cn does: ignoring the case of ASCII letters. */
        if (it->is_dn ? dn && strcmp(it->key, dn) == 0 : name && strcasecmp(it->key, name) == 0)
            roles |= it->role;
    }
    return roles;
}
