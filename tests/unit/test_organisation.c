/* Organisations without a database: where each kind may exist, the list cursor, name lookups. */
#include "arena.h"
#include "check.h"
#include "organisation.h"

static void kinds_and_levels(void)
{
    for (int level = LEVEL_PROVINCE; level <= LEVEL_VILLAGE; level++)
        CHECK(org_kind_refused(KIND_FEDERATION, (enum region_level)level) == NULL);
    CHECK(org_kind_refused(KIND_CONGRESS, LEVEL_VILLAGE) == NULL);
    CHECK(org_kind_refused(KIND_CONGRESS, LEVEL_TOWNSHIP) != NULL);
    CHECK(org_kind_refused(KIND_CONGRESS, LEVEL_PROVINCE) != NULL);
    CHECK(org_kind_refused(KIND_COMMITTEE, LEVEL_COUNTY) == NULL);
    CHECK(org_kind_refused(KIND_COMMITTEE, LEVEL_TOWNSHIP) == NULL);
    CHECK(org_kind_refused(KIND_COMMITTEE, LEVEL_VILLAGE) != NULL);
    CHECK(org_kind_refused(KIND_COMMITTEE, LEVEL_CITY) != NULL);

    CHECK_INT(org_name_index(org_kinds, "womens_congress"), KIND_CONGRESS);
    CHECK_INT(org_name_index(org_kinds, "club"), -1);
    CHECK_INT(org_name_index(org_levels, "township") + 1, LEVEL_TOWNSHIP);
    CHECK_INT(org_name_index(org_host_kinds, "social_org"), 3);
    CHECK_INT(org_name_index(org_host_kinds, ""), -1);
}

static void cursors(struct arena *a)
{
    char region[13];
    long long id = 0;
    const char *cursor = org_cursor(a, "210102001002", 42);
    CHECK(org_cursor_parse(cursor, region, &id));
    CHECK_STR(region, "210102001002");
    CHECK_INT(id, 42);
    CHECK(org_cursor_parse("21.9007199254740991", region, &id));
    CHECK_INT(id, 9007199254740991LL);

    /* Anything else is refused, never half-read. */
    const char *bad[] = {"", ".", "21", "21.", ".5", "21.0", "21.05", "21.-5", "21.5x", "21.+5",
                         "210.5", "2101020010021.5", "21a.5", "21.5.5", "21. 5",
                         "21.1234567890123456789", NULL};
    for (int i = 0; bad[i]; i++) {
        bool parsed = org_cursor_parse(bad[i], region, &id);
        if (parsed)
            fprintf(stderr, "cursor \"%s\" was accepted\n", bad[i]);
        CHECK(!parsed);
    }
}

int main(void)
{
    struct arena *a = arena_new();
    kinds_and_levels();
    cursors(a);
    arena_free(a);
    return check_report();
}
