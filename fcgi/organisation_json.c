/* Organisations as JSON, the rules of where each kind may exist, and the list cursor. */
#include "organisation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "column_json.h"
#include "db.h"

const char *const org_kinds[] = {"federation", "womens_congress", "womens_committee", NULL};
const char *const org_host_kinds[] = {"agency", "institution", "enterprise", "social_org", NULL};
const char *const org_levels[] = {"province", "city", "county", "township", "village", NULL};

int org_name_index(const char *const *list, const char *name)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return -1;
}

const char *org_kind_refused(enum org_kind kind, enum region_level level)
{
    if (kind == KIND_CONGRESS && level != LEVEL_VILLAGE)
        return "a women's congress exists only in a village or community";
    if (kind == KIND_COMMITTEE && level != LEVEL_COUNTY && level != LEVEL_TOWNSHIP)
        return "a women's committee is registered under a county or a township";
    return NULL;
}

/* A text column as a JSON string, or null. */
json_t *org_json(struct db_stmt *st, int first)
{
    long long level = db_col_int(st, first + 3);
    /* The term is whole or absent (a CHECK constraint says so). */
    json_t *term = json_null();
    if (!db_col_null(st, first + 8))
        term = json_pack("{s:o, s:I, s:o}", "start", json_column_text(st, first + 8), "years",
                         (json_int_t)db_col_int(st, first + 9), "end",
                         json_column_text(st, first + 10));
    json_t *org = json_object();
    json_object_set_new(org, "id", json_integer(db_col_int(st, first)));
    json_object_set_new(org, "region", json_column_text(st, first + 1));
    json_object_set_new(org, "region_name", json_column_text(st, first + 2));
    json_object_set_new(org, "level",
                        json_string(region_level_name((enum region_level)level)));
    json_object_set_new(org, "kind", json_column_text(st, first + 4));
    json_object_set_new(org, "host_kind", json_column_text(st, first + 5));
    json_object_set_new(org, "name", json_column_text(st, first + 6));
    json_object_set_new(org, "converted_on", json_column_text(st, first + 7));
    json_object_set_new(org, "term", term);
    json_object_set_new(org, "village_committee_election", json_column_text(st, first + 11));
    json_object_set_new(org, "next_due", json_column_text(st, first + 12));
    json_object_set_new(org, "version", json_integer(db_col_int(st, first + 13)));
    return org;
}

json_t *office_holder_json(struct db_stmt *st)
{
    json_t *holder = json_object();
    json_object_set_new(holder, "position_id", json_integer(db_col_int(st, 0)));
    json_object_set_new(holder, "person_id", json_integer(db_col_int(st, 1)));
    /* null when the person's record lies outside the caller's jurisdiction */
    json_object_set_new(holder, "name", json_column_text(st, 2));
    json_object_set_new(holder, "role", json_column_text(st, 3));
    json_object_set_new(holder, "full_time", json_boolean(db_col_int(st, 4)));
    json_object_set_new(holder, "in_two_committees", json_boolean(db_col_int(st, 5)));
    json_object_set_new(holder, "term_start", json_column_text(st, 6));
    json_object_set_new(holder, "start_date", json_column_text(st, 7));
    json_object_set_new(holder, "end_date", json_column_text(st, 8));
    json_object_set_new(holder, "end_reason", json_column_text(st, 9));
    json_object_set_new(holder, "succeeds_id", json_column_int(st, 10));
    json_object_set_new(holder, "succeeded_by", json_null());
    return holder;
}

/* Quadratic, and fine: an organisation has tens of holders over its history, not thousands;
 * it spared a subquery per row that cost more than a third of the page. */
void link_successors(json_t *holders)
{
    size_t i, j;
    json_t *successor, *holder;
    json_array_foreach(holders, i, successor) {
        json_t *succeeds = json_object_get(successor, "succeeds_id");
        if (!json_is_integer(succeeds))
            continue;
        json_int_t id = json_integer_value(json_object_get(successor, "position_id"));
        json_array_foreach(holders, j, holder) {
            json_t *by = json_object_get(holder, "succeeded_by");
            if (json_integer_value(json_object_get(holder, "position_id")) ==
                    json_integer_value(succeeds) &&
                (!json_is_integer(by) || json_integer_value(by) > id))
                json_object_set_new(holder, "succeeded_by", json_integer(id));
        }
    }
}

/* "REGION.ID": the keyset of the last row of a page. Clients pass it back unread. */
const char *org_cursor(struct arena *a, const char *region, long long id)
{
    return arena_printf(a, "%s.%lld", region, id);
}

bool org_cursor_parse(const char *cursor, char region[13], long long *id)
{
    const char *dot = strchr(cursor, '.');
    if (!dot || dot - cursor > 12)
        return false;
    memcpy(region, cursor, (size_t)(dot - cursor));
    region[dot - cursor] = '\0';
    if (region_level_of(region) == LEVEL_NONE)
        return false;
    const char *digits = dot + 1;
    if (digits[0] < '1' || digits[0] > '9' || strspn(digits, "0123456789") != strlen(digits) ||
        strlen(digits) > 18)
        return false;
    *id = strtoll(digits, NULL, 10);
    return true;
}
