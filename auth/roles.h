/* Roles: what a user may do in her jurisdiction, as a bit set, and the [roles] map from directory
 * groups to roles. */
#ifndef JICENG_ROLES_H
#define JICENG_ROLES_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum role {
    ROLE_VIEWER = 1u << 0,   /* 查看: reads her jurisdiction */
    ROLE_CLERK = 1u << 1,    /* 录入: enters and changes records */
    ROLE_APPROVER = 1u << 2, /* 审核: decides workflow steps */
    ROLE_ADMIN = 1u << 3,    /* 管理: administers her jurisdiction */
};
enum { ROLE_COUNT = 4, ROLE_ALL = (1u << ROLE_COUNT) - 1 };

/* "viewer", "clerk", "approver" or "admin" for a single role bit; NULL for anything else. */
const char *role_name(unsigned role);

/* Writes the names of the roles in roles, in the order above and separated by commas
 * ("viewer,admin"; "" for none), cut to fit len. Returns the length it needed. */
size_t roles_format(unsigned roles, char *buf, size_t len);

/* Reads names separated by commas (spaces around them allowed) into *roles. Returns 0, or -1
 * when a name is unknown. "" is no roles. */
int roles_parse(const char *text, unsigned *roles);

/* The [roles] settings, parsed once at start: per role a list of groups separated by '|'. An
 * item with '=' in it is a group DN, matched normalised (case-insensitively, Chinese DNs too);
 * any other item is a group name, matched with the value of the group DN's first RDN (its cn). */
struct role_map;

/* Parses lists[i], the list of the role 1 << i; NULL lists are empty. Returns the map, or NULL
 * with the reason in err when an item that looks like a DN does not parse. Free it with
 * role_map_free. */
struct role_map *role_map_new(const char *const lists[ROLE_COUNT], char *err, size_t errlen);

void role_map_free(struct role_map *map);

/* True when no group is mapped to any role: nobody could log in. */
bool role_map_empty(const struct role_map *map);

/* The roles the group with this DN gives its members (0 for none). Temporary memory in a. */
unsigned role_map_match(const struct role_map *map, struct arena *a, const char *group_dn);

#endif
