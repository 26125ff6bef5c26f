/* Organisations without a database: where each kind may exist, the list cursor, name lookups,
 * who succeeded whom and the office holders' JSON. */
#include "arena.h"
#include "check.h"
#include "json_out.h"
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

/* Position 1 was taken over twice (by 3, then again by 2: the lower id is named), 2 by 4; 5
 * names a position of another organisation, which is not among these holders. */
static void successors(void)
{
    struct office_holder h[] = {{.position_id = 4, .succeeds_id = 2},
                                {.position_id = 3, .succeeds_id = 1},
                                {.position_id = 2, .succeeds_id = 1},
                                {.position_id = 1},
                                {.position_id = 5, .succeeds_id = 99}};
    link_successors(h, 5);
    CHECK_INT(h[3].succeeded_by, 2);
    CHECK_INT(h[2].succeeded_by, 4);
    CHECK_INT(h[1].succeeded_by, 0);
    CHECK_INT(h[0].succeeded_by, 0);
    CHECK_INT(h[4].succeeded_by, 0);
    link_successors(NULL, 0);
}

/* Current ones by rank, then start, then id; past ones the latest to leave first. */
static void holder_order(void)
{
    struct office_holder h[] = {
        {.position_id = 1, .role = "chair", .start_date = "2015-01-01", .end_date = "2019-05-31"},
        {.position_id = 2, .role = "executive_member", .start_date = "2021-01-01"},
        {.position_id = 3, .role = "vice_chair", .start_date = "2019-06-01",
         .end_date = "2024-05-31"},
        {.position_id = 4, .role = "executive_member", .start_date = "2020-01-01"},
        {.position_id = 5, .role = "chair", .start_date = "2024-06-01"},
        {.position_id = 6, .role = "liaison_officer", .start_date = "2019-06-01",
         .end_date = "2024-05-31"},
        {.position_id = 7, .role = "executive_member", .start_date = "2020-01-01"}};
    office_holders_sort(h, 7);
    const long long want[] = {5, 4, 7, 2, 3, 6, 1};
    for (int i = 0; i < 7; i++)
        CHECK_INT(h[i].position_id, want[i]);
}

static void holders_json(struct arena *a)
{
    struct office_holder h[] = {
        {.position_id = 7, .person_id = 70, .name = "张雅琴", .role = "chair", .full_time = true,
         .start_date = "2024-06-01", .succeeds_id = 6},
        {.position_id = 6, .person_id = 60, .role = "chair", .in_two_committees = true,
         .term_start = "2019-06-01", .start_date = "2019-06-01", .end_date = "2024-05-31",
         .end_reason = "换届/改选", .succeeded_by = 7}};
    struct json_out o;
    json_out_init(&o, a);
    office_holders_out(&o, h, 2);
    CHECK_STR(json_out_text(&o, NULL),
              "{\"current\":[{\"position_id\":7,\"person_id\":70,\"name\":\"张雅琴\","
              "\"role\":\"chair\",\"full_time\":true,\"in_two_committees\":false,"
              "\"term_start\":null,\"start_date\":\"2024-06-01\",\"end_date\":null,"
              "\"end_reason\":null,\"succeeds_id\":6,\"succeeded_by\":null}],"
              "\"past\":[{\"position_id\":6,\"person_id\":60,\"name\":null,"
              "\"role\":\"chair\",\"full_time\":false,\"in_two_committees\":true,"
              "\"term_start\":\"2019-06-01\",\"start_date\":\"2019-06-01\","
              "\"end_date\":\"2024-05-31\",\"end_reason\":\"换届\\/改选\","
              "\"succeeds_id\":null,\"succeeded_by\":7}]}");
    json_out_init(&o, a);
    office_holders_out(&o, NULL, 0);
    CHECK_STR(json_out_text(&o, NULL), "{\"current\":[],\"past\":[]}");
}

int main(void)
{
    struct arena *a = arena_new();
    kinds_and_levels();
    cursors(a);
    successors();
    holder_order();
    holders_json(a);
    arena_free(a);
    return check_report();
}
