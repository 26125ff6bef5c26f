/* Region codes: the 2/4/6/9/12-digit statistical division code, which is also the path of the
 * region in the tree (see DOMAIN.md). */
#ifndef JICENG_REGION_CODE_H
#define JICENG_REGION_CODE_H

#include <stdbool.h>
#include <stddef.h>

enum region_level { LEVEL_NONE, LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY, LEVEL_TOWNSHIP,
                    LEVEL_VILLAGE };

/* The level a well-formed code has by its length, or LEVEL_NONE when code is not 2, 4, 6, 9 or
 * 12 digits. */
enum region_level region_level_of(const char *code);

/* "province", "city", "county", "township" or "village". */
const char *region_level_name(enum region_level level);

/* The length of codes at a level (2, 4, 6, 9, 12), 0 for LEVEL_NONE. */
size_t region_code_length(enum region_level level);

/* True when code lies in the subtree of root (root itself included). */
bool region_within(const char *code, const char *root);

#endif
