/* Region codes: levels by length, subtrees by prefix. */
#include "region_code.h"

#include <string.h>

static const size_t lengths[] = {0, 2, 4, 6, 9, 12};
static const char *const names[] = {"none", "province", "city", "county", "township", "village"};

enum region_level region_level_of(const char *code)
{
    size_t len = strspn(code, "0123456789");
    if (code[len] != '\0')
        return LEVEL_NONE;
    for (int level = LEVEL_PROVINCE; level <= LEVEL_VILLAGE; level++)
        if (lengths[level] == len)
            return (enum region_level)level;
    return LEVEL_NONE;
}

const char *region_level_name(enum region_level level)
{
    return names[level <= LEVEL_VILLAGE ? level : LEVEL_NONE];
}

size_t region_code_length(enum region_level level)
{
    return lengths[level <= LEVEL_VILLAGE ? level : LEVEL_NONE];
}

bool region_within(const char *code, const char *root)
{
    return strncmp(code, root, strlen(root)) == 0;
}
