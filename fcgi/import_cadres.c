/* The cadre import (see import_kind.h): each row is a person with one position. It is read and
 * checked by the API's own code (cadre_person_read, position_input_read, cadre_person_check)
 * and written with the API's own writers, so a row is accepted exactly when the same cadre
 * entered by hand would be. The natural key is the ID number: a person already on the roll
 * with the same data, and a position she holds already, are left as they are, so importing a
 * file twice changes nothing the second time. Checked rows wait in a batch of BATCH, whose new
 * people and positions are written many to a statement: a round trip per row cost an import of
 * 20,000 rows more than its writes. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "db_rows.h"
#include "http.h"
#include "id_number.h"
#include "import_kind.h"
#include "region_code.h"

#define TEN_PLACES "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define HUNDRED_PLACES                                                                         \
    TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES \
               ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES
enum { PREFETCH = 100, BATCH = DB_ROWS_MAX };
static const char PERSONS_BY_ID_NUMBER[] =
    "SELECT id_number, id FROM my_person WHERE id_number IN (" HUNDRED_PLACES ")";
static const char FEDERATION_OF_REGION[] =
    "SELECT id FROM my_organisation WHERE federation_of = ?";
static const char ORGANISATION_BY_NAME[] =
    "SELECT id FROM my_organisation WHERE region = ? AND name = ? ORDER BY id LIMIT 2";
static const char CURRENT_POSITIONS_OF[] =
    "SELECT person_id, organisation_id, role FROM my_position WHERE person_id IN ("
    DB_ROWS_256("?") ") AND end_date IS NULL";

/* The columns: Chinese headers, the API member each feeds, the Chinese names of the values
 * the API's codes stand for (as the web UI shows them). */
static const char *const gender_names[] = {"女", "男", NULL};
static const char *const education_names[] = {"小学", "初中",   "高中",       "中专",
                                              "大专", "本科",   "硕士研究生", "博士研究生",
                                              NULL};
static const char *const political_names[] = {"中共党员", "中共预备党员", "共青团员", "民主党派",
                                              "群众", NULL};
static const char *const occupation_names[] = {"教师",         "乡村医生",         "老干部",
                                               "巾帼能人",     "企业家",           "志愿服务队负责人",
                                               "文艺队负责人", "大学生村官",       "其他",
                                               NULL};
static const char *const role_names[] = {"主席", "副主席",     "常委",           "执委",
                                         "妇代会主任", "妇女工作联络员", NULL};
static const char *const yes_no[] = {"是", "否", NULL};

static const struct import_column cadre_columns[] = {
    {"区划代码", "region", CELL_TEXT, true, NULL, NULL,
     "组织所在地的统计用区划代码，如210102001"},
    {"组织名称", "organisation_name", CELL_TEXT, false, NULL, NULL,
     "空：该区划的妇联（村为妇代会或妇联）"},
    {"姓名", "name", CELL_TEXT, true, NULL, NULL, "1至64字"},
    {"性别", "gender", CELL_ENUM, true, cadre_genders, gender_names, NULL},
    {"出生日期", "birth_date", CELL_DATE, true, NULL, NULL, "如1985-06-15，与身份证号一致"},
    {"民族", "ethnicity", CELL_TEXT, false, NULL, NULL, "空：汉族"},
    {"文化程度", "education", CELL_ENUM, true, cadre_educations, education_names, NULL},
    {"政治面貌", "political_status", CELL_ENUM, true, cadre_political, political_names, NULL},
    {"身份证号", "id_number", CELL_TEXT, true, NULL, NULL, "18位，末位可为X"},
    {"手机号", "mobile", CELL_TEXT, false, NULL, NULL, "11位，以1开头"},
    {"职业", "occupation", CELL_ENUM, false, cadre_occupations, occupation_names, "空：其他"},
    {"职务", "role", CELL_ENUM, true, cadre_roles, role_names, NULL},
    {"专职", "full_time", CELL_BOOL, false, NULL, yes_no, "空：否"},
    {"进两委", "in_two_committees", CELL_BOOL, false, NULL, yes_no, "空：否"},
    {"任职日期", "start_date", CELL_DATE, true, NULL, NULL, "如2024-01-15，不晚于今天"},
};

/* The tallies in import_run.count. */
enum { CREATED, UPDATED, UNCHANGED, POSITIONS_ADDED, POSITIONS_HELD };

/* A checked row waiting to be written with the others of its batch. Its text lives in the
 * request's arena. */
struct pending {
    unsigned line;
    struct person_values v;
    struct position_input in;
    const struct position_org *org;
    long long person_id; /* once on the roll; 0 when her ID number is taken outside */
    bool add_position;   /* she does not hold it already */
};

/* The kind's own state of a run. */
struct cadre_state {
    json_t *known; /* ID number -> id of the persons on the roll the file names */
    json_t *orgs; /* "region\norganisation name" -> id; 0 when there is none, -2 ambiguous */
    struct position_org **loaded; /* for position_add, each loaded once */
    int loaded_count, loaded_cap;
    struct pending *pending; /* BATCH of them */
    int pending_count;
};

/* ------------------------------------------------------------------------------------------ */
/* Looking up and writing, through the my_* views */

static void release(void *json)
{
    json_decref(json);
}

/* The organisation a row names: the one of that name in the region, or without a name the
 * region's federation (or village congress). Records the error and answers 0 when the caller
 * has none such in her jurisdiction; -1 on a database failure (the answer set). */
static long long find_organisation(struct import_run *r, unsigned line, const char *region,
                                   const char *name)
{
    struct request *req = r->req;
    if (region_level_of(region) == LEVEL_NONE) {
        import_error(r, line, "region", "invalid",
                     "must be a region code of 2, 4, 6, 9 or 12 digits");
        return 0;
    }
    struct cadre_state *cs = r->state;
    if (!cs->orgs) {
        cs->orgs = json_object();
        arena_cleanup(req->arena, release, cs->orgs);
    }
    const char *key = arena_printf(req->arena, "%s\n%s", region, name ? name : "");
    json_t *known = json_object_get(cs->orgs, key);
    long long id;
    bool more = false;
    int rc = DB_OK;
    if (known) {
        id = json_integer_value(known);
    } else {
        id = name ? import_lookup_id(req, ORGANISATION_BY_NAME, region, name, &more, &rc)
                  : import_lookup_id(req, FEDERATION_OF_REGION, region, NULL, NULL, &rc);
        if (id < 0) {
            http_db_error(req, rc);
            return -1;
        }
        if (more)
            id = -2;
        json_object_set_new(cs->orgs, key, json_integer(id));
    }
    if (id == -2)
        import_error(r, line, "organisation_name", "ambiguous",
                        arena_printf(req->arena, "region %s has more than one organisation"
                                              " named %s", region, name));
    else if (id == 0 && name)
        import_error(r, line, "organisation_name", "not_found",
                     arena_printf(req->arena, "no organisation named %s in region %s in your"
                                              " jurisdiction", name, region));
    else if (id == 0)
        import_error(r, line, "region", "not_found",
                     arena_printf(req->arena, "no federation of region %s in your jurisdiction",
                                  region));
    return id > 0 ? id : 0;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Empty optional cells keep what the person has; true when v then equals the stored row. */
static bool merge_unchanged(struct person_values *v, const json_t *row)
{
    static const char *const names[] = {"name",      "gender",   "birth_date",
                                        "ethnicity", "education", "political_status",
                                        "id_number", "mobile",   "occupation"};
    const char **members[] = {&v->name,      &v->gender,    &v->birth_date,
                              &v->ethnicity, &v->education, &v->political_status,
                              &v->id_number, &v->mobile,    &v->occupation};
    bool same = true;
    for (int i = 0; i < 9; i++) {
        const char *stored = json_string_value(json_object_get(row, names[i]));
        if (!*members[i])
            *members[i] = stored;
        else if (!same_text(*members[i], stored))
            same = false;
    }
    return same;
}

/* The organisation id as position_add takes it, loaded once per import. NULL with the answer
 * set on failure. */
static const struct position_org *organisation(struct import_run *r, long long id)
{
    struct cadre_state *cs = r->state;
    struct arena *a = r->req->arena;
    for (int i = 0; i < cs->loaded_count; i++)
        if (cs->loaded[i]->id == id)
            return cs->loaded[i];
    if (cs->loaded_count == cs->loaded_cap) {
        int cap = cs->loaded_cap ? 2 * cs->loaded_cap : 64;
        struct position_org **grown = arena_alloc(a, (size_t)cap * sizeof *grown);
        if (cs->loaded_count)
            memcpy(grown, cs->loaded, (size_t)cs->loaded_count * sizeof *grown);
        cs->loaded = grown;
        cs->loaded_cap = cap;
    }
    struct position_org *org = arena_alloc(a, sizeof *org);
    if (position_org_load(r->req, id, org) != 0)
        return NULL;
    cs->loaded[cs->loaded_count++] = org;
    return org;
}

/* The key in held (see read_known) of a current position. */
static const char *held_key(char *buf, size_t size, long long person_id, long long org_id,
                            const char *role)
{
    snprintf(buf, size, "%lld %lld %s", person_id, org_id, role);
    return buf;
}

/* Reads the records of the n people on the roll already ids names, locked, into people (id
 * -> record) and the positions they hold into held (held_key -> true): two statements for a
 * batch. Returns 0 or an error status with the answer set. */
static int read_known(struct import_run *r, const long long *ids, int n, json_t *people,
                      json_t *held)
{
    struct request *req = r->req;
    int rc = cadre_person_rows_locked(req, ids, n, people);
    struct db_stmt *st = rc == DB_OK ? db_prepare(req->db, CURRENT_POSITIONS_OF) : NULL;
    if (rc == DB_OK && !st)
        rc = db_failure(req->db);
    if (st) {
        db_rows_bind_ints(st, ids, n, DB_ROWS_MAX);
        rc = db_execute(st);
        char key[64];
        while (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
            json_object_set_new(held,
                                held_key(key, sizeof key, db_col_int(st, 0), db_col_int(st, 1),
                                         db_col_text(st, 2, NULL)),
                                json_true());
            rc = DB_OK;
        }
    }
    return rc == DB_OK || rc == DB_DONE ? 0 : http_db_error(req, rc);
}

/* Writes a row of a person on the roll already, her record and positions read by read_known:
 * changed when the row says something else, and her position unless she holds it already.
 * Returns 0 or an error status with the answer set. */
static int write_known(struct import_run *r, struct pending *p, json_t *people, json_t *held)
{
    struct request *req = r->req;
    char key[64];
    snprintf(key, sizeof key, "%lld", p->person_id);
    json_t *before = json_object_get(people, key);
    if (!before) /* she was found a moment ago */
        return http_db_error(req, DB_ERROR);
    int status = 0;
    if (merge_unchanged(&p->v, before))
        r->count[UNCHANGED]++;
    else if ((status = cadre_person_store(req, p->person_id, before, &p->v)) == 0)
        r->count[UPDATED]++, r->changes++;
    p->add_position = !json_object_get(
        held, held_key(key, sizeof key, p->person_id, p->org->id, cadre_roles[p->in.role]));
    if (!p->add_position)
        r->count[POSITIONS_HELD]++;
    return status;
}

/* Writes the rows of the batch's people on the roll already. Returns 0 or an error status. */
static int write_known_people(struct import_run *r)
{
    struct cadre_state *cs = r->state;
    long long ids[BATCH];
    int n = 0, status = 0;
    for (int i = 0; i < cs->pending_count; i++) {
        struct pending *p = &cs->pending[i];
        p->person_id = json_integer_value(json_object_get(cs->known, p->v.id_number));
        if (p->person_id)
            ids[n++] = p->person_id;
    }
    if (n == 0)
        return 0;
    json_t *people = json_object(), *held = json_object();
    status = read_known(r, ids, n, people, held);
    for (int i = 0; i < cs->pending_count && status == 0; i++)
        if (cs->pending[i].person_id)
            status = write_known(r, &cs->pending[i], people, held);
    /* Her values pointed into her record where the row left cells empty: not used again. */
    json_decref(people);
    json_decref(held);
    return status;
}

/* Enters the batch's new people on the roll, all at once. Returns 0 or an error status. */
static int insert_new(struct import_run *r)
{
    struct cadre_state *cs = r->state;
    const char *regions[BATCH];
    const struct person_values *values[BATCH];
    long long ids[BATCH];
    struct pending *new[BATCH];
    int n = 0;
    for (int i = 0; i < cs->pending_count; i++)
        if (!cs->pending[i].person_id) {
            new[n] = &cs->pending[i];
            if (!new[n]->v.ethnicity)
                new[n]->v.ethnicity = "汉族";
            if (!new[n]->v.occupation)
                new[n]->v.occupation = "other";
            regions[n] = new[n]->org->region; /* she is on the roll where her organisation is */
            values[n] = &new[n]->v;
            n++;
        }
    int status = cadre_persons_insert(r->req, regions, values, n, ids);
    for (int i = 0; i < n && status == 0; i++) {
        new[i]->person_id = ids[i];
        new[i]->add_position = ids[i] != 0;
        if (ids[i]) {
            r->count[CREATED]++, r->changes++;
            continue;
        }
        import_error(r, new[i]->line, "id_number", "duplicate",
                     "a person with this ID number is on the roll outside your jurisdiction");
        r->rows_failed++;
    }
    return status;
}

/* Writes the rows of the batch: the people on the roll already, the new ones, then the
 * positions not held yet, in the order of the file. Returns 0 or an error status. */
static int write_pending(struct import_run *r)
{
    struct cadre_state *cs = r->state;
    int status = write_known_people(r);
    if (status == 0)
        status = insert_new(r);
    long long person_ids[BATCH];
    const struct position_input *in[BATCH];
    const struct position_org *orgs[BATCH];
    int n = 0;
    for (int i = 0; i < cs->pending_count; i++)
        if (cs->pending[i].add_position) {
            person_ids[n] = cs->pending[i].person_id;
            in[n] = &cs->pending[i].in;
            orgs[n++] = cs->pending[i].org;
        }
    if (status == 0 && (status = positions_add(r->req, person_ids, in, orgs, n)) == 0)
        r->count[POSITIONS_ADDED] += n, r->changes += n;
    cs->pending_count = 0;
    return status;
}

static const char *kept(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

/* Puts a checked row into the batch, its text copied out of the row, and writes the batch when
 * it is full. Returns 0 or an error status with the answer set. */
static int queue_row(struct import_run *r, unsigned line, const struct person_values *v,
                     const struct position_input *in)
{
    struct cadre_state *cs = r->state;
    struct arena *a = r->req->arena;
    const struct position_org *org = organisation(r, in->organisation_id);
    if (!org)
        return r->req->status;
    if (!cs->pending)
        cs->pending = arena_alloc(a, BATCH * sizeof *cs->pending);
    struct pending *p = &cs->pending[cs->pending_count++];
    *p = (struct pending){.line = line, .v = *v, .in = *in, .org = org};
    const char **text[] = {&p->v.name,      &p->v.gender,   &p->v.birth_date,
                           &p->v.ethnicity, &p->v.education, &p->v.political_status,
                           &p->v.id_number, &p->v.mobile,   &p->v.occupation,
                           &p->in.start_date};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        *text[i] = kept(a, *text[i]);
    return cs->pending_count == BATCH ? write_pending(r) : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Before the rows, and a row */

/* Adds the persons on the roll among ids[0..n) to the state's known ones. */
static int prefetch(struct import_run *r, const char **ids, int n)
{
    struct cadre_state *cs = r->state;
    struct db_stmt *st = db_prepare(r->req->db, PERSONS_BY_ID_NUMBER);
    if (!st)
        return http_db_error(r->req, db_failure(r->req->db));
    db_rows_bind_texts(st, ids, n, PREFETCH);
    int rc = db_execute(st);
    if (rc == DB_OK)
        while ((rc = db_fetch(st)) == DB_ROW)
            json_object_set_new(cs->known, db_col_text(st, 0, NULL),
                                json_integer(db_col_int(st, 1)));
    return rc == DB_DONE ? 0 : http_db_error(r->req, rc);
}

/* Finds which of the file's ID numbers are on the roll of the jurisdiction, a hundred to a
 * statement: then a row costs only its writes. */
static int cadre_prepare(struct import_run *r, const struct import_table *t)
{
    struct cadre_state *cs = r->state;
    cs->known = json_object();
    arena_cleanup(r->req->arena, release, cs->known);
    const char *ids[PREFETCH];
    int n = 0, status = 0;
    for (size_t i = 1; i <= t->count && status == 0; i++) {
        const char *id = i < t->count ? import_cell(r, &t->records[i], "id_number") : "";
        if (strlen(id) == ID_NUMBER_LENGTH) {
            char *copy = arena_strdup(r->req->arena, id);
            id_number_normalise(copy);
            ids[n++] = copy;
        }
        if (n == PREFETCH || (i == t->count && n > 0)) {
            status = prefetch(r, ids, n);
            n = 0;
        }
    }
    return status;
}

/* Reads and checks the row as POST /api/v1/cadres would, with its organisation looked up by
 * region and name, and writes it when nothing was wrong. */
static int cadre_row(struct import_run *r, unsigned line, json_t *row, struct fields *f)
{
    struct request *req = r->req;
    long long errors_before = r->error_count;
    struct person_values v = {0};
    struct position_input in = {0};
    cadre_person_read(f, &v, REQUIRED);
    const char *region = json_string_value(json_object_get(row, "region"));
    long long org = 0;
    if (!region)
        field_fail(f, "region", "required", "is required");
    else if ((org = find_organisation(
                  r, line, region,
                  json_string_value(json_object_get(row, "organisation_name")))) < 0)
        return req->status;
    /* A stand-in for a row whose organisation was not found (its error is recorded), so the
     * rest of the position is still checked. */
    json_object_set_new(row, "organisation_id", json_integer(org > 0 ? org : 1));
    position_input_read(f, &in);
    cadre_person_check(f, &v);
    if (v.id_number && !f->failed)
        import_first_time(r, line, "id_number", v.id_number);
    if (!import_checked(r, line, f, errors_before))
        return 0;
    return queue_row(r, line, &v, &in);
}

/* After the last row: the rows still waiting. */
static int cadre_flush(struct import_run *r)
{
    struct cadre_state *cs = r->state;
    return cs->pending_count ? write_pending(r) : 0;
}

static json_t *cadre_counts(const struct import_run *r)
{
    const long long *n = r->count;
    return json_pack("{s:{s:I, s:I, s:I}, s:{s:I, s:I}}", "people", "created",
                     (json_int_t)n[CREATED], "updated", (json_int_t)n[UPDATED], "unchanged",
                     (json_int_t)n[UNCHANGED], "positions", "added",
                     (json_int_t)n[POSITIONS_ADDED], "held_already",
                     (json_int_t)n[POSITIONS_HELD]);
}

const struct import_kind import_cadres_kind = {
    .name = "cadres",
    .entity = "cadre_import",
    .columns = cadre_columns,
    .column_count = sizeof cadre_columns / sizeof cadre_columns[0],
    .row = cadre_row,
    .prepare = cadre_prepare,
    .flush = cadre_flush,
    .counts = cadre_counts,
    .state_size = sizeof(struct cadre_state),
};
