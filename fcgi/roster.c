/* GET /api/v1/roster: the current office holders of the caller's jurisdiction with their
 * persons, filtered, sorted and paged by keyset. Each page is one statement, put together from
 * the constant pieces below: the conditions of the filters the page gives, and no others. Every
 * value is bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "base64url.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "json_out.h"
#include "privacy.h"
#include "region_code.h"
#include "roster.h"
#include "session.h"
#include "utf8.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200, MAX_AGE = 150 };

/* The rows through my_roster (migrations 020, 023): each position with its holder's columns,
 * which position repeats, and its organisation, read by primary key; the position, the holder's
 * record and the organisation all inside the jurisdiction (a holder entered in another
 * jurisdiction, a position given to her from above, is not shown to a user who cannot see her
 * record). */
#define ROSTER_SELECT_FROM(view)                                                              \
    "SELECT p.id, p.person_id, p.name, p.gender, p.birth_date, p.education,"                  \
    " p.political_status, p.id_number, p.mobile, p.organisation_id, p.organisation_name,"     \
    " p.region, p.org_level, p.org_kind, p.role, p.full_time, p.in_two_committees,"           \
    " p.start_date, p.term_start, p.last_training_on, p.person_name"                          \
    " FROM " view " p WHERE p.current = 1"
#define ROSTER_SELECT ROSTER_SELECT_FROM("my_roster")
/* The default order without a name filter: the positions through the view that names their
 * index, which spares the optimiser's estimates of seven other indexes (migrations 012, 020). */
#define ROSTER_SELECT_IN_REGION_ORDER ROSTER_SELECT_FROM("my_roster_in_region_order")

/* The subtree: under, or the whole jurisdiction when under is NULL (IN_SUBTREE: ""; the view
 * keeps the jurisdiction). A province's or a city's code is a column of its own (migration
 * 004), so that a sort by name or start date over it reads an index in that order; deeper
 * subtrees are a range of position_roster. */
#define IN_PROVINCE " AND p.province = COALESCE(?, jurisdiction())"
#define IN_CITY " AND p.city = COALESCE(?, jurisdiction())"
#define IN_SUBTREE " AND p.region LIKE CONCAT(?, '%')"

/* The filters a page may give, in the order of their conditions and values. A statement holds
 * only the conditions of the filters given: MariaDB prepares and plans every condition again at
 * each execution, and the "? IS NULL OR ..." pairs that a single text kept for absent filters
 * cost it a sixth of a county's roster page. */
enum filter {
    KIND, LEVEL, ROLE, FULL_TIME, IN_TWO_COMMITTEES, EDUCATION, PARTY_MEMBER, BORN_BY,
    BORN_AFTER, NAME, TRAINING_DUE, FILTER_COUNT
};
static const char *const conditions[FILTER_COUNT] = {
    [KIND] = " AND p.org_kind = ?",
    [LEVEL] = " AND p.org_level = ?",
    [ROLE] = " AND p.role = ?",
    [FULL_TIME] = " AND p.full_time = ?",
    [IN_TWO_COMMITTEES] = " AND p.in_two_committees = ?",
    [EDUCATION] = " AND p.education = ?",
    [PARTY_MEMBER] = " AND (p.political_status IN ('cpc_member', 'cpc_probationary')) = ?",
    [BORN_BY] = " AND p.birth_date <= ?",
    [BORN_AFTER] = " AND p.birth_date > ?",
    [NAME] = " AND p.person_name LIKE CONCAT(?, '%')",
    /* No training since the later of the term's start and two years ago, or some. */
    [TRAINING_DUE] = " AND (COALESCE(p.last_training_on, '1000-01-01')"
                     " < GREATEST(COALESCE(p.term_start, ?), ?)) = ?",
};

/* The keyset condition and order of each sort, at the end of the statement. */
static const char *const orders[] = {
    [SORT_REGION] = " AND (p.region > ? OR (p.region = ? AND p.id > ?))"
                    " ORDER BY p.region, p.id LIMIT ?",
    [SORT_NAME] = " AND (p.person_name > ? OR (p.person_name = ? AND p.id > ?))"
                  " ORDER BY p.person_name, p.id LIMIT ?",
    [SORT_START] = " AND (p.start_date > ? OR (p.start_date = ? AND p.id > ?))"
                   " ORDER BY p.start_date, p.id LIMIT ?",
};
/* The subtree by its depth: a province, a city, deeper. The default order is position_roster's
 * (current, region, id) at every depth, so it always takes the range. */
static const char *const subtrees[] = {IN_PROVINCE, IN_CITY, IN_SUBTREE};

static const char *const sorts[] = {"region", "name", "start_date", NULL};
/* Where the first page starts: before every region, name and date. */
static const char *const sort_start[] = {"", "", "1000-01-01"};
static const char *const kinds[] = {"federation", "womens_congress", "womens_committee", NULL};
static const char *const booleans[] = {"false", "true", NULL};

/* ------------------------------------------------------------------------------------------ */
/* The cursor: "<sort>|<key>|<id>" in base64url, so clients treat it as opaque. */

static const char *cursor_make(struct arena *a, enum roster_sort sort, const char *key, long long id)
{
    const char *plain = arena_printf(a, "%c|%s|%lld", sorts[sort][0], key, id);
    return base64url_encode(a, plain, strlen(plain));
}

/* Reads a cursor of sort into q; false when it is not one (or one of another sort). */
static bool cursor_read(struct arena *a, const char *cursor, struct roster_query *q)
{
    size_t n;
    unsigned char *plain = base64url_decode(a, cursor, 400, &n);
    if (!plain)
        return false;
    char *text = (char *)plain, *first = strchr(text, '|'), *last = strrchr(text, '|');
    if (strlen(text) != n || !first || first == last || first != text + 1 ||
        text[0] != sorts[q->sort][0])
        return false;
    *last = '\0';
    const char *key = first + 1, *digits = last + 1;
    if (digits[0] < '1' || digits[0] > '9' || strlen(digits) > 18 ||
        strspn(digits, "0123456789") != strlen(digits) || !utf8_valid(key, strlen(key)))
        return false;
    if (q->sort == SORT_REGION && region_level_of(key) == LEVEL_NONE)
        return false;
    if (q->sort == SORT_START && !date_valid(key))
        return false;
    q->after_key = key;
    q->after_id = strtoll(digits, NULL, 10);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the query */

static int bad_param(struct request *req, const char *name, const char *why)
{
    return http_error(req, 400, "invalid_parameter", name, "%s: %s", name, why);
}

/* A query parameter, NULL when absent or empty (a form sends "kind=" for "any kind"). */
static const char *param(const struct request *req, const char *name)
{
    const char *value = http_query(req, name);
    return value && value[0] ? value : NULL;
}

/* The index of the parameter's value in list, -1 when absent; -2 with 400 set when unknown. */
static int param_enum(struct request *req, const char *name, const char *const *list)
{
    const char *value = param(req, name);
    if (!value)
        return -1;
    for (int i = 0; list[i]; i++)
        if (strcmp(value, list[i]) == 0)
            return i;
    char allowed[300] = "";
    for (int i = 0; list[i]; i++)
        snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                 i ? ", " : "", list[i]);
    bad_param(req, name, arena_printf(req->arena, "must be one of %s", allowed));
    return -2;
}

/* A LIKE pattern matching what starts with text: its own % _ and \ escaped. */
static const char *prefix_pattern(struct arena *a, const char *text)
{
    char *out = arena_alloc(a, strlen(text) * 2 + 1), *o = out;
    for (const char *s = text; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* The filters and the age bounds. Returns 0, or 400 with the answer set. */
static int read_filters(struct request *req, struct roster_query *q)
{
    int kind, level, role, education;
    if ((q->under = param(req, "under")) && region_level_of(q->under) == LEVEL_NONE)
        return bad_param(req, "under", "must be a region code of 2, 4, 6, 9 or 12 digits");
    if ((kind = param_enum(req, "kind", kinds)) == -2 ||
        (level = param_enum(req, "level", cadre_levels)) == -2 ||
        (role = param_enum(req, "role", cadre_roles)) == -2 ||
        (education = param_enum(req, "education", cadre_educations)) == -2 ||
        (q->full_time = param_enum(req, "full_time", booleans)) == -2 ||
        (q->in_two_committees = param_enum(req, "in_two_committees", booleans)) == -2 ||
        (q->party_member = param_enum(req, "party_member", booleans)) == -2 ||
        (q->training_due = param_enum(req, "training_due", booleans)) == -2)
        return req->status;
    q->kind = kind >= 0 ? kinds[kind] : NULL;
    q->level = level >= 0 ? level + 1 : -1;
    q->role = role >= 0 ? cadre_roles[role] : NULL;
    q->education = education >= 0 ? cadre_educations[education] : NULL;
    const char *name = param(req, "name");
    if (name && utf8_length(name, strlen(name)) > 64)
        return bad_param(req, "name", "must have at most 64 characters");
    q->name_pattern = name ? prefix_pattern(req->arena, name) : NULL;

    /* Age a to b in whole years: born on or before today minus a years, and after today minus
     * b + 1 years. The dates are worked out here and bound like any value. */
    long age_min, age_max;
    if (http_query_int(req, "age_min", 0, MAX_AGE, -1, &age_min) != 0 ||
        http_query_int(req, "age_max", 0, MAX_AGE, -1, &age_max) != 0)
        return req->status;
    if (age_min >= 0 && age_max >= 0 && age_min > age_max)
        return bad_param(req, "age_max", "must not be below age_min");
    char today[11];
    date_today(today);
    if (age_min >= 0)
        cadre_years_before(today, (int)age_min, q->born_by);
    if (age_max >= 0)
        cadre_years_before(today, (int)age_max + 1, q->born_after);
    return 0;
}

int roster_query_read(struct request *req, struct roster_query *q)
{
    *q = (struct roster_query){.sort = SORT_REGION};
    int status = read_filters(req, q);
    if (status != 0)
        return status;
    int sort = param_enum(req, "sort", sorts);
    if (sort == -2)
        return req->status;
    q->sort = sort >= 0 ? (enum roster_sort)sort : SORT_REGION;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &q->limit) != 0)
        return req->status;
    const char *cursor = param(req, "cursor");
    q->after_key = sort_start[q->sort];
    if (cursor && !cursor_read(req->arena, cursor, q))
        return bad_param(req, "cursor",
                         "must be the next_cursor of the previous page with the same sort");
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The page */

/* A filter's value as it is bound: text, or else a number; given or not. */
struct filter_value {
    bool given;
    const char *text;
    int number;
};

static void filter_values(const struct roster_query *q, struct filter_value v[FILTER_COUNT])
{
    v[KIND] = (struct filter_value){q->kind != NULL, q->kind, 0};
    v[LEVEL] = (struct filter_value){q->level >= 0, NULL, q->level};
    v[ROLE] = (struct filter_value){q->role != NULL, q->role, 0};
    v[FULL_TIME] = (struct filter_value){q->full_time >= 0, NULL, q->full_time};
    v[IN_TWO_COMMITTEES] =
        (struct filter_value){q->in_two_committees >= 0, NULL, q->in_two_committees};
    v[EDUCATION] = (struct filter_value){q->education != NULL, q->education, 0};
    v[PARTY_MEMBER] = (struct filter_value){q->party_member >= 0, NULL, q->party_member};
    v[BORN_BY] = (struct filter_value){q->born_by[0] != '\0', q->born_by, 0};
    v[BORN_AFTER] = (struct filter_value){q->born_after[0] != '\0', q->born_after, 0};
    v[NAME] = (struct filter_value){q->name_pattern != NULL, q->name_pattern, 0};
    v[TRAINING_DUE] = (struct filter_value){q->training_due >= 0, NULL, q->training_due};
}

/* The statement of a page, in the arena: its select, subtree, the conditions of the filters
 * given and its order. */
static const char *page_sql(struct arena *a, const struct roster_query *q, int depth,
                            const struct filter_value v[FILTER_COUNT])
{
    /* The default order reads position_roster through the view that names it (migration 012),
     * unless a name filter lets the optimiser start from a name index. */
    const char *parts[FILTER_COUNT + 3];
    int n = 0;
    parts[n++] = q->sort == SORT_REGION && !q->name_pattern ? ROSTER_SELECT_IN_REGION_ORDER
                                                            : ROSTER_SELECT;
    parts[n++] = q->sort == SORT_REGION ? IN_SUBTREE : subtrees[depth];
    for (int f = 0; f < FILTER_COUNT; f++)
        if (v[f].given)
            parts[n++] = conditions[f];
    parts[n++] = orders[q->sort];
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += strlen(parts[i]);
    char *sql = arena_alloc(a, len + 1), *end = sql;
    for (int i = 0; i < n; i++)
        end = stpcpy(end, parts[i]);
    return sql;
}

/* The values of the filters given, in the order of their conditions. */
static void bind_filters(struct db_stmt *st, const struct filter_value v[FILTER_COUNT],
                         const char *two_years_ago)
{
    for (int f = 0; f < FILTER_COUNT; f++) {
        if (!v[f].given)
            continue;
        if (f == TRAINING_DUE) { /* the bounds of "due" come first */
            db_bind_str(st, two_years_ago);
            db_bind_str(st, two_years_ago);
        }
        if (v[f].text)
            db_bind_str(st, v[f].text);
        else
            db_bind_int(st, v[f].number);
    }
}

/* A personal value (ID number, mobile), masked unless allowed; null stays null. */
static void personal(struct json_out *o, const char *key, const char *value, bool allowed,
                     void (*mask)(const char *value, char *out, size_t cap))
{
    char masked[64];
    if (value && !allowed) {
        mask(value, masked, sizeof masked);
        value = masked;
    }
    json_out_key(o, key);
    json_out_str(o, value);
}

static void member_int(struct json_out *o, const char *key, long long value)
{
    json_out_key(o, key);
    json_out_int(o, value);
}

static void member_bool(struct json_out *o, const char *key, bool value)
{
    json_out_key(o, key);
    json_out_bool(o, value);
}

/* One roster item from the current row of the page, written out: a page of 50 is a thousand
 * values, and a tree of json_t for them cost more CPU than MariaDB spent finding the rows. */
static void item_out(struct json_out *o, struct db_stmt *st, bool allowed, const char *today,
                     const char *two_years_ago)
{
    const char *birth = db_col_text(st, 4, NULL), *last = db_col_text(st, 19, NULL);
    long long level = db_col_int(st, 12);
    json_out_begin_object(o);
    member_int(o, "position_id", db_col_int(st, 0));
    member_int(o, "person_id", db_col_int(st, 1));
    json_out_column(o, "name", st, 2);
    json_out_column(o, "gender", st, 3);
    json_out_column(o, "birth_date", st, 4);
    member_int(o, "age", cadre_age(birth ? birth : today, today));
    json_out_column(o, "education", st, 5);
    json_out_column(o, "political_status", st, 6);
    personal(o, "id_number", db_col_text(st, 7, NULL), allowed, privacy_mask_id_number);
    personal(o, "mobile", db_col_text(st, 8, NULL), allowed, privacy_mask_mobile);
    member_int(o, "organisation_id", db_col_int(st, 9));
    json_out_column(o, "organisation_name", st, 10);
    json_out_column(o, "region", st, 11);
    json_out_key(o, "level");
    json_out_str(o, level >= 1 && level <= 5 ? cadre_levels[level - 1] : "");
    json_out_column(o, "kind", st, 13);
    json_out_column(o, "role", st, 14);
    member_bool(o, "full_time", db_col_int(st, 15) != 0);
    member_bool(o, "in_two_committees", db_col_int(st, 16) != 0);
    json_out_column(o, "start_date", st, 17);
    json_out_column(o, "term_start", st, 18);
    json_out_column(o, "last_training_on", st, 19);
    member_bool(o, "training_due",
                cadre_training_due(last, db_col_text(st, 18, NULL), two_years_ago));
    json_out_end_object(o);
}

const char *roster_sort_key(struct db_stmt *st, enum roster_sort sort)
{
    static const int columns[] = {11, 20, 17};
    return db_col_text(st, columns[sort], NULL);
}

/* The depth is an index into subtrees[]: 0 a province, 1 a city, 2 deeper. An under above
 * the caller's region is dropped (her jurisdiction is the limit anyway, and the deeper subtree
 * is the cheaper plan). */
bool roster_subtree_depth(const struct request *req, struct roster_query *q, int *depth)
{
    const char *mine = req->session->who.region;
    if (q->under && strncmp(q->under, mine, strlen(mine)) != 0) {
        if (strncmp(mine, q->under, strlen(q->under)) != 0)
            return false;
        q->under = NULL;
    }
    enum region_level level = region_level_of(q->under ? q->under : mine);
    *depth = level == LEVEL_PROVINCE ? 0 : level == LEVEL_CITY ? 1 : 2;
    return true;
}

int roster_execute(struct request *req, const struct roster_query *q, int depth,
                   const char *two_years_ago, struct db_stmt **out)
{
    struct filter_value values[FILTER_COUNT];
    filter_values(q, values);
    struct db_stmt *st = *out = db_prepare_text(req->db, page_sql(req->arena, q, depth, values));
    if (!st)
        return db_failure(req->db);
    /* No under: "" in IN_SUBTREE, NULL in IN_PROVINCE and IN_CITY (see subtrees). */
    bool prefix = q->sort == SORT_REGION || depth == 2;
    db_bind_str(st, q->under ? q->under : prefix ? "" : NULL);
    bind_filters(st, values, two_years_ago);
    db_bind_str(st, q->after_key);
    db_bind_str(st, q->after_key);
    db_bind_int(st, q->after_id);
    db_bind_int(st, q->limit + 1); /* one more tells whether another page follows */
    return db_execute(st);
}

int roster_list(struct request *req)
{
    struct roster_query q;
    if (roster_query_read(req, &q) != 0)
        return req->status;
    int depth;
    if (!roster_subtree_depth(req, &q, &depth))
        return http_json(req, 200, json_pack("{s:[], s:n}", "items", "next_cursor"));
    char today[11], two_years_ago[11];
    date_today(today);
    cadre_years_before(today, 2, two_years_ago);

    struct db_stmt *st;
    int rc = roster_execute(req, &q, depth, two_years_ago, &st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    bool allowed = privacy_allowed(req->cfg, req->session->who.roles);
    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    json_out_key(&o, "items");
    json_out_begin_array(&o);
    const char *last = NULL;
    long count = 0;
    bool more = false;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == q.limit) {
            more = true;
            continue;
        }
        item_out(&o, st, allowed, today, two_years_ago);
        if (++count == q.limit)
            last = cursor_make(req->arena, q.sort, roster_sort_key(st, q.sort), db_col_int(st, 0));
    }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    json_out_end_array(&o);
    json_out_key(&o, "next_cursor");
    json_out_str(&o, more ? last : NULL);
    json_out_end_object(&o);
    return http_json_text(req, 200, &o);
}
