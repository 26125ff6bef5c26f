/* Organisations as JSON, the rules of where each kind may exist, and the list cursor. */
#include "organisation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "json_out.h"

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

static void member_int(struct json_out *o, const char *key, long long value)
{
    json_out_key(o, key);
    json_out_int(o, value);
}

/* 0 writes null: no id is 0. */
static void member_id_or_null(struct json_out *o, const char *key, long long id)
{
    json_out_key(o, key);
    if (id)
        json_out_int(o, id);
    else
        json_out_null(o);
}

static void member_str(struct json_out *o, const char *key, const char *value)
{
    json_out_key(o, key);
    json_out_str(o, value);
}

void org_out_members(struct json_out *o, struct db_stmt *st, int first)
{
    long long level = db_col_int(st, first + 3);
    member_int(o, "id", db_col_int(st, first));
    json_out_column(o, "region", st, first + 1);
    json_out_column(o, "region_name", st, first + 2);
    member_str(o, "level", region_level_name((enum region_level)level));
    json_out_column(o, "kind", st, first + 4);
    json_out_column(o, "host_kind", st, first + 5);
    json_out_column(o, "name", st, first + 6);
    json_out_column(o, "converted_on", st, first + 7);
    /* The term is whole or absent (a CHECK constraint says so). */
    json_out_key(o, "term");
    if (db_col_null(st, first + 8)) {
        json_out_null(o);
    } else {
        json_out_begin_object(o);
        json_out_column(o, "start", st, first + 8);
        member_int(o, "years", db_col_int(st, first + 9));
        json_out_column(o, "end", st, first + 10);
        json_out_end_object(o);
    }
    json_out_column(o, "village_committee_election", st, first + 11);
    json_out_column(o, "next_due", st, first + 12);
    member_int(o, "version", db_col_int(st, first + 13));
}

void org_out(struct json_out *o, struct db_stmt *st, int first)
{
    json_out_begin_object(o);
    org_out_members(o, st, first);
    json_out_end_object(o);
}

json_t *org_json(struct arena *a, struct db_stmt *st, int first)
{
    struct json_out o;
    json_out_init(&o, a);
    org_out(&o, st, first);
    size_t len;
    const char *text = json_out_text(&o, &len);
    json_t *org = json_loadb(text, len, 0, NULL);
    if (!org)
        out_of_memory(); /* the text is our own: only memory can fail it */
    return org;
}

/* Text of the current row, copied out of the statement (it is overwritten by the next fetch). */
static const char *column_copy(struct arena *a, struct db_stmt *st, int col)
{
    size_t len;
    const char *text = db_col_text(st, col, &len);
    return text ? arena_strndup(a, text, len) : NULL;
}

void office_holder_read(struct arena *a, struct db_stmt *st, int first, struct office_holder *h)
{
    *h = (struct office_holder){
        .position_id = db_col_int(st, first),
        .person_id = db_col_int(st, first + 1),
        .name = column_copy(a, st, first + 2), /* NULL: a person outside the jurisdiction */
        .role = column_copy(a, st, first + 3),
        .full_time = db_col_int(st, first + 4) != 0,
        .in_two_committees = db_col_int(st, first + 5) != 0,
        .term_start = column_copy(a, st, first + 6),
        .start_date = column_copy(a, st, first + 7),
        .end_date = column_copy(a, st, first + 8),
        .end_reason = column_copy(a, st, first + 9),
        .succeeds_id = db_col_int(st, first + 10)};
}

static int compare_ids(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* Current holders first, by rank of office (cadre_roles is in that order), then by start;
 * then the past ones, the latest to leave first. Dates are YYYY-MM-DD: as text in date order. */
static int holder_order(const void *a, const void *b)
{
    const struct office_holder *x = a, *y = b;
    if (!x->end_date != !y->end_date)
        return x->end_date ? 1 : -1;
    int c = x->end_date ? strcmp(y->end_date, x->end_date) : 0;
    if (c == 0)
        c = org_name_index(cadre_roles, x->role) - org_name_index(cadre_roles, y->role);
    if (c == 0)
        c = strcmp(x->start_date, y->start_date);
    return c ? c : compare_ids(x->position_id, y->position_id);
}

void office_holders_sort(struct office_holder *holders, size_t n)
{
    if (n > 1)
        qsort(holders, n, sizeof *holders, holder_order);
}

/* Quadratic, and fine: an organisation has tens of holders over its history, not thousands;
 * it spared a subquery per row that cost more than a third of the page. */
void link_successors(struct office_holder *holders, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct office_holder *successor = &holders[i];
        if (!successor->succeeds_id)
            continue;
        for (size_t j = 0; j < n; j++) {
            struct office_holder *h = &holders[j];
            if (h->position_id == successor->succeeds_id &&
                (!h->succeeded_by || h->succeeded_by > successor->position_id))
                h->succeeded_by = successor->position_id;
        }
    }
}

static void office_holder_out(struct json_out *o, const struct office_holder *h)
{
    json_out_begin_object(o);
    member_int(o, "position_id", h->position_id);
    member_int(o, "person_id", h->person_id);
    member_str(o, "name", h->name);
    member_str(o, "role", h->role);
    json_out_key(o, "full_time");
    json_out_bool(o, h->full_time);
    json_out_key(o, "in_two_committees");
    json_out_bool(o, h->in_two_committees);
    member_str(o, "term_start", h->term_start);
    member_str(o, "start_date", h->start_date);
    member_str(o, "end_date", h->end_date);
    member_str(o, "end_reason", h->end_reason);
    member_id_or_null(o, "succeeds_id", h->succeeds_id);
    member_id_or_null(o, "succeeded_by", h->succeeded_by);
    json_out_end_object(o);
}

/* The holders with end_date NULL (current) or not (past), in their order. */
static void holders_out(struct json_out *o, const struct office_holder *holders, size_t n,
                        bool current)
{
    json_out_begin_array(o);
    for (size_t i = 0; i < n; i++)
        if (!holders[i].end_date == current)
            office_holder_out(o, &holders[i]);
    json_out_end_array(o);
}

void office_holders_out(struct json_out *o, const struct office_holder *holders, size_t n)
{
    json_out_begin_object(o);
    json_out_key(o, "current");
    holders_out(o, holders, n, true);
    json_out_key(o, "past");
    holders_out(o, holders, n, false);
    json_out_end_object(o);
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
