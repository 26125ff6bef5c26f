/* Cadres as persons: POST /api/v1/cadres (a person with her first position), GET and PATCH
 * /api/v1/cadres/{id}; and what the other cadre files share (cadres.h). A person outside the
 * caller's jurisdiction is not found (404); every write is one transaction with its audit
 * entries, and a failed request leaves the database as it was. */
#include "cadres.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "column_json.h"
#include "db.h"
#include "db_rows.h"
#include "handlers.h"
#include "http.h"
#include "id_number.h"
#include "privacy.h"
#include "session.h"

const char *const cadre_genders[] = {"female", "male", NULL};
const char *const cadre_educations[] = {"primary",        "junior_high", "senior_high",
                                        "vocational",     "junior_college", "bachelor",
                                        "master",         "doctorate",   NULL};
const char *const cadre_political[] = {"cpc_member", "cpc_probationary", "league_member",
                                       "democratic_party", "masses", NULL};
const char *const cadre_occupations[] = {"teacher",         "village_doctor",
                                         "former_cadre",    "capable_woman",
                                         "entrepreneur",    "volunteer_leader",
                                         "cultural_leader", "student_village_official",
                                         "other",           NULL};
const char *const cadre_roles[] = {"chair",           "vice_chair",        "standing_member",
                                   "executive_member", "congress_director", "liaison_officer",
                                   NULL};
const char *const cadre_levels[] = {"province", "city", "county", "township", "village", NULL};

#define PERSON_COLUMNS                                                                         \
    "SELECT id, region, name, gender, birth_date, ethnicity, education, political_status,"    \
    " id_number, mobile, occupation, last_training_on, version FROM my_person"
static const char PERSON_ROW[] = PERSON_COLUMNS " WHERE id = ?";
static const char PERSON_ROW_LOCKED[] = PERSON_COLUMNS " WHERE id = ? FOR UPDATE";
static const char PERSON_ROWS_LOCKED[] =
    PERSON_COLUMNS " WHERE id IN (" DB_ROWS_256("?") ") FOR UPDATE";

static const char INSERT_PERSON[] =
    "INSERT INTO my_person (region, name, gender, birth_date, ethnicity, education,"
    " political_status, id_number, mobile, occupation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Many at once, for an import: see db_rows.h. The new rows come back in the order of VALUES. */
static const char *const INSERT_PERSONS[DB_ROW_SIZES] = DB_ROWS_STATEMENTS(
    "INSERT INTO my_person (region, name, gender, birth_date, ethnicity, education,"
    " political_status, id_number, mobile, occupation) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, id_number");

static const char UPDATE_PERSON[] =
    "UPDATE my_person SET name = ?, gender = ?, birth_date = ?, ethnicity = ?, education = ?,"
    " political_status = ?, id_number = ?, mobile = ?, occupation = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ? AND version = ?";

/* The latest first: what a clerk checks when she adds one. */
static const char TRAINING_OF[] =
    "SELECT id, held_on, course, hours, organiser_level FROM my_training WHERE person_id = ?"
    " ORDER BY held_on DESC, id DESC";

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers */

int cadre_not_found(struct request *req, long long id)
{
    return http_error(req, 404, NULL, "id", "no cadre %lld in your jurisdiction", id);
}

long long cadre_path_id(struct request *req, const char *name)
{
    const char *text = http_path_param(req, name);
    char *end;
    long long id = text && text[0] >= '1' && text[0] <= '9' ? strtoll(text, &end, 10) : 0;
    if (id <= 0 || *end || id == LLONG_MAX) {
        http_error(req, 400, "invalid_parameter", name, "%s must be a positive whole number",
                   name);
        return 0;
    }
    return id;
}

/* The number in the n digits at text; no sscanf, as this runs for every row of a roster page. */
static int digits(const char *text, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++)
        value = value * 10 + (text[i] - '0');
    return value;
}

int cadre_age(const char *birth, const char *today)
{
    if (strlen(birth) != 10 || strlen(today) != 10)
        return 0; /* dates come from the database or date_today: YYYY-MM-DD */
    int age = digits(today, 4) - digits(birth, 4);
    /* MM-DD compare as text: not yet her birthday this year. */
    if (strcmp(today + 5, birth + 5) < 0)
        age--;
    return age;
}

void cadre_years_before(const char *date, int years, char out[11])
{
    int y = 2000, m = 1, d = 1;
    sscanf(date, "%d-%d-%d", &y, &m, &d);
    y -= years;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        d = 28;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

bool cadre_training_due(const char *last_training_on, const char *term_start,
                        const char *two_years_ago)
{
    if (!last_training_on)
        return true;
    const char *since = term_start && strcmp(term_start, two_years_ago) > 0 ? term_start
                                                                            : two_years_ago;
    return strcmp(last_training_on, since) < 0;
}

int cadre_in_transaction(struct request *req, int (*step)(struct request *, void *), void *data)
{
    int rc = db_begin(req->db);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    int status = step(req, data);
    if (status == 0 && (rc = db_commit(req->db)) != DB_OK)
        status = http_db_error(req, rc);
    if (status != 0)
        db_rollback(req->db);
    return status;
}

int cadre_audit(struct request *req, const char *region, const char *action, const char *entity,
                long long id, const json_t *before, const json_t *after)
{
    struct audit_entry e = {
        .actor = req->session->who.username,
        .actor_region = req->session->who.region,
        .region = region,
        .action = action,
        .entity = entity,
        .entity_id = arena_printf(req->arena, "%lld", id),
        .before = before,
        .after = after,
        .request_id = req->request_id,
        .address = req->remote_addr,
    };
    return req->audit_batch ? audit_batch_add(req->db, req->audit_batch, &e)
                            : audit_write(req->db, &e);
}

/* The current row of a PERSON_COLUMNS statement. New reference. */
static json_t *person_row_json(struct db_stmt *st)
{
    json_t *row = json_object();
    static const char *const names[] = {"id", "region", "name", "gender", "birth_date",
                                        "ethnicity", "education", "political_status",
                                        "id_number", "mobile", "occupation",
                                        "last_training_on", "version"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        bool number = i == 0 || i == 12;
        json_object_set_new(row, names[i],
                            number ? json_integer(db_col_int(st, i)) : json_column_text(st, i));
    }
    return row;
}

json_t *cadre_person_row(struct request *req, long long id, bool lock, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, lock ? PERSON_ROW_LOCKED : PERSON_ROW, id, rc);
    if (!st)
        return NULL;
    json_t *row = person_row_json(st);
    db_reset(st);
    return row;
}

int cadre_person_rows_locked(struct request *req, const long long *ids, int n, json_t *rows)
{
    struct db_stmt *st = db_prepare(req->db, PERSON_ROWS_LOCKED);
    if (!st)
        return db_failure(req->db);
    db_rows_bind_ints(st, ids, n, DB_ROWS_MAX);
    int rc = db_execute(st);
    while (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", db_col_int(st, 0));
        json_object_set_new(rows, key, person_row_json(st));
        rc = DB_OK;
    }
    return rc == DB_DONE ? DB_OK : rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading and checking a person */

static const char *enum_value(struct fields *f, const char *name, const char *const *list,
                              enum presence p)
{
    int i = field_enum(f, name, list, p);
    return i >= 0 ? list[i] : NULL;
}

void cadre_person_read(struct fields *f, struct person_values *v, enum presence p)
{
    const char *s;
    if ((s = field_text(f, "name", 1, 64, p)))
        v->name = s;
    if ((s = enum_value(f, "gender", cadre_genders, p)))
        v->gender = s;
    if ((s = field_date(f, "birth_date", p)))
        v->birth_date = s;
    if ((s = field_text(f, "ethnicity", 1, 16, OPTIONAL)))
        v->ethnicity = s;
    if ((s = enum_value(f, "education", cadre_educations, p)))
        v->education = s;
    if ((s = enum_value(f, "political_status", cadre_political, p)))
        v->political_status = s;
    if ((s = field_text(f, "id_number", 18, 18, p))) {
        char *id = arena_strdup(f->req->arena, s);
        id_number_normalise(id);
        v->id_number = id;
    }
    if ((s = enum_value(f, "occupation", cadre_occupations, OPTIONAL)))
        v->occupation = s;
    if (field_present(f, "mobile")) {
        v->mobile_given = true;
        v->mobile = field_text(f, "mobile", 1, 11, OPTIONAL); /* null or "" clears it */
        bool digits = v->mobile && strspn(v->mobile, "0123456789") == 11;
        if (v->mobile && (!digits || v->mobile[0] != '1'))
            field_fail(f, "mobile", "invalid", "must be 11 digits starting with 1");
    }
}

void cadre_person_check(struct fields *f, const struct person_values *v)
{
    if (f->failed)
        return;
    char born[11], today[11];
    enum id_number_problem problem = id_number_check(v->id_number, born);
    if (problem != ID_NUMBER_OK) {
        field_fail(f, "id_number", "invalid", "%s", id_number_problem_text(problem));
        return;
    }
    date_today(today);
    if (strcmp(v->birth_date, today) > 0)
        field_fail(f, "birth_date", "invalid", "must not be in the future");
    else if (strcmp(v->birth_date, born) != 0)
        field_fail(f, "birth_date", "invalid", "disagrees with the ID number, which says %s",
                   born);
}

/* The PATCH values over the stored row: what the person will hold. */
static void person_merge(struct person_values *v, const json_t *row)
{
#define KEEP(member)                                                                           \
    if (!v->member)                                                                            \
    v->member = json_string_value(json_object_get(row, #member))
    KEEP(name);
    KEEP(gender);
    KEEP(birth_date);
    KEEP(ethnicity);
    KEEP(education);
    KEEP(political_status);
    KEEP(id_number);
    KEEP(occupation);
#undef KEEP
    if (!v->mobile_given)
        v->mobile = json_string_value(json_object_get(row, "mobile"));
}

/* Binds the values in the column order of INSERT_PERSON and UPDATE_PERSON after region. */
static void person_bind(struct db_stmt *st, const struct person_values *v)
{
    db_bind_str(st, v->name);
    db_bind_str(st, v->gender);
    db_bind_str(st, v->birth_date);
    db_bind_str(st, v->ethnicity);
    db_bind_str(st, v->education);
    db_bind_str(st, v->political_status);
    db_bind_str(st, v->id_number);
    db_bind_str(st, v->mobile);
    db_bind_str(st, v->occupation);
}

static int duplicate_id_number(struct request *req)
{
    return http_error(req, 409, "duplicate", "id_number",
                      "a person with this ID number is on the roll already");
}

/* ------------------------------------------------------------------------------------------ */
/* Answering with a person */

/* The person's training records, latest first; NULL with *rc set on error. */
static json_t *training_of(struct request *req, long long id, int *rc)
{
    struct db_stmt *st = db_prepare(req->db, TRAINING_OF);
    if (!st) {
        *rc = db_failure(req->db);
        return NULL;
    }
    db_bind_int(st, id);
    if ((*rc = db_execute(st)) != DB_OK)
        return NULL;
    json_t *items = json_array();
    while ((*rc = db_fetch(st)) == DB_ROW) {
        long long level = db_col_int(st, 4);
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:f, s:s}", "id", (json_int_t)db_col_int(st, 0),
                             "held_on", db_col_text(st, 1, NULL), "course",
                             db_col_text(st, 2, NULL), "hours",
                             strtod(db_col_text(st, 3, NULL), NULL), "organiser_level",
                             level >= 1 && level <= 5 ? cadre_levels[level - 1] : "unknown"));
    }
    if (*rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* Answers with the PERSON of id: the row with age, training due, positions and training, the
 * personal data masked unless the caller's roles may see it. */
static int person_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *person = cadre_person_row(req, id, false, &rc), *positions = NULL, *training = NULL;
    if (person)
        positions = position_list_of(req, id, &rc);
    if (positions)
        training = training_of(req, id, &rc);
    if (!training) {
        json_decref(person);
        json_decref(positions);
        return rc == DB_DONE ? cadre_not_found(req, id) : http_db_error(req, rc);
    }
    char today[11], two_years_ago[11];
    date_today(today);
    cadre_years_before(today, 2, two_years_ago);
    const char *last = json_string_value(json_object_get(person, "last_training_on"));
    bool due = false;
    size_t i;
    json_t *p;
    json_array_foreach(positions, i, p) {
        if (json_is_null(json_object_get(p, "end_date")) &&
            cadre_training_due(last, json_string_value(json_object_get(p, "term_start")),
                               two_years_ago))
            due = true;
    }
    bool allowed = privacy_allowed(req->cfg, req->session->who.roles);
    json_object_set_new(person, "id_number",
                        privacy_id_number_json(json_string_value(json_object_get(person, "id_number")),
                                               allowed));
    json_object_set_new(person, "mobile",
                        privacy_mobile_json(json_string_value(json_object_get(person, "mobile")),
                                            allowed));
    json_object_set_new(person, "age", json_integer(cadre_age(json_string_value(json_object_get(
                                                                  person, "birth_date")),
                                                              today)));
    json_object_set_new(person, "training_due", json_boolean(due));
    json_object_set_new(person, "positions", positions);
    json_object_set_new(person, "training", training);
    return http_json(req, status, person);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/cadres */

struct create {
    struct person_values person;
    struct position_input position;
    long long id;
};

/* A new person's row as cadre_person_row would read it back, known without that round trip:
 * an import enters thousands of people in one request. New reference. */
static json_t *created_row(long long id, const char *region, const struct person_values *v)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:n, s:i}", "id",
        (json_int_t)id, "region", region, "name", v->name, "gender", v->gender, "birth_date",
        v->birth_date, "ethnicity", v->ethnicity, "education", v->education,
        "political_status", v->political_status, "id_number", v->id_number, "mobile",
        v->mobile ? json_string(v->mobile) : json_null(), "occupation", v->occupation,
        "last_training_on", "version", 1);
}

static int audit_created(struct request *req, long long id, const char *region,
                         const struct person_values *v)
{
    json_t *after = created_row(id, region, v);
    int rc = cadre_audit(req, region, "create", "person", id, NULL, after);
    json_decref(after);
    return rc;
}

int cadre_person_insert(struct request *req, const char *region, const struct person_values *v,
                        long long *id)
{
    struct db_stmt *st = db_prepare(req->db, INSERT_PERSON);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    person_bind(st, v);
    int rc = db_execute(st);
    if (rc == DB_DUPLICATE)
        return duplicate_id_number(req);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *id = db_insert_id(st);
    rc = audit_created(req, *id, region, v);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* Inserts the n persons of one statement of INSERT_PERSONS (index), setting ids[0..n). Returns
 * DB_OK, DB_DUPLICATE when an ID number is on the roll already (none of them is written), or
 * another error. */
static int insert_chunk(struct request *req, int index, const char *const *regions,
                        const struct person_values *const *v, int n, long long *ids)
{
    struct db_stmt *st = db_prepare(req->db, INSERT_PERSONS[index]);
    if (!st)
        return db_failure(req->db);
    for (int i = 0; i < n; i++) {
        db_bind_str(st, regions[i]);
        person_bind(st, v[i]);
    }
    int rc = db_execute(st);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        rc = db_fetch(st);
        /* RETURNING gives the rows in the order of VALUES; anything else is a bug. */
        if (rc == DB_ROW && strcmp(db_col_text(st, 1, NULL), v[i]->id_number) == 0)
            ids[i] = db_col_int(st, 0), rc = DB_OK;
        else if (rc == DB_ROW || rc == DB_DONE)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

/* The n persons of a chunk that an ID number on the roll already refused, one by one, to know
 * whose it is: ids[i] is 0 for her. Returns DB_OK or an error. */
static int insert_one_by_one(struct request *req, const char *const *regions,
                             const struct person_values *const *v, int n, long long *ids)
{
    for (int i = 0; i < n; i++) {
        int rc = insert_chunk(req, DB_ROW_SIZES - 1, regions + i, v + i, 1, ids + i);
        if (rc == DB_DUPLICATE)
            ids[i] = 0;
        else if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

int cadre_persons_insert(struct request *req, const char *const *regions,
                         const struct person_values *const *v, int n, long long *ids)
{
    int rc = DB_OK;
    for (int done = 0, size; done < n && rc == DB_OK; done += size) {
        int index = db_rows_index(n - done);
        size = DB_ROWS_MAX >> index;
        rc = insert_chunk(req, index, regions + done, v + done, size, ids + done);
        if (rc == DB_DUPLICATE)
            rc = insert_one_by_one(req, regions + done, v + done, size, ids + done);
    }
    for (int i = 0; i < n && rc == DB_OK; i++)
        if (ids[i])
            rc = audit_created(req, ids[i], regions[i], v[i]);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

static int create_step(struct request *req, void *data)
{
    struct create *c = data;
    struct position_org org;
    int status = position_org_load(req, c->position.organisation_id, &org);
    if (status != 0)
        return status;
    /* she is on the roll where her organisation is */
    if ((status = cadre_person_insert(req, org.region, &c->person, &c->id)) != 0)
        return status;
    long long position_id;
    return position_add(req, c->id, &c->position, &org, &position_id);
}

int cadre_create(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct create c = {.person = {.ethnicity = "汉族", .occupation = "other"}};
    cadre_person_read(&f, &c.person, REQUIRED);
    json_t *position = json_object_get(f.body, "position");
    if (!f.failed && !json_is_object(position)) {
        field_fail(&f, "position", position ? "invalid" : "required",
                   "must be an object with organisation_id, role and start_date");
    } else if (!f.failed) {
        struct fields pf = f;
        pf.body = position;
        position_input_read(&pf, &c.position);
        f.failed = pf.failed;
    }
    cadre_person_check(&f, &c.person);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, create_step, &c);
    if (status != 0)
        return status;
    http_header(req, "Location", arena_printf(req->arena, "/api/v1/cadres/%lld", c.id));
    return person_respond(req, 201, c.id);
}

/* ------------------------------------------------------------------------------------------ */
/* GET and PATCH /api/v1/cadres/{id} */

int cadre_get(struct request *req)
{
    long long id = cadre_path_id(req, "id");
    return id ? person_respond(req, 200, id) : req->status;
}

struct update {
    long long id, version;
    struct fields *f;
    struct person_values person;
};

int cadre_person_store(struct request *req, long long id, const json_t *before,
                       const struct person_values *v)
{
    struct db_stmt *st = db_prepare(req->db, UPDATE_PERSON);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    person_bind(st, v);
    db_bind_int(st, id);
    db_bind_int(st, json_integer_value(json_object_get(before, "version")));
    int rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked; refuse rather than guess */
    json_t *after = NULL;
    if (rc == DB_OK) {
        after = cadre_person_row(req, id, false, &rc);
        rc = after ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
    }
    if (rc == DB_OK)
        rc = cadre_audit(req, json_string_value(json_object_get(before, "region")), "update",
                         "person", id, before, after);
    json_decref(after);
    if (rc != DB_OK)
        return rc == DB_DUPLICATE ? duplicate_id_number(req) : http_db_error(req, rc);
    return 0;
}

static int update_step(struct request *req, void *data)
{
    struct update *u = data;
    int rc;
    json_t *before = cadre_person_row(req, u->id, true, &rc);
    if (!before)
        return rc == DB_DONE ? cadre_not_found(req, u->id) : http_db_error(req, rc);
    int status = 0;
    if (json_integer_value(json_object_get(before, "version")) != u->version) {
        status = http_error(req, 409, "stale_version", "version",
                            "the cadre was changed by someone else; reload and try again");
        goto done;
    }
    person_merge(&u->person, before);
    cadre_person_check(u->f, &u->person);
    if ((status = fields_end(u->f)) == 0)
        status = cadre_person_store(req, u->id, before, &u->person);
done:
    json_decref(before);
    return status;
}

int cadre_update(struct request *req)
{
    struct update u = {.id = cadre_path_id(req, "id")};
    if (!u.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    u.f = &f;
    u.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    cadre_person_read(&f, &u.person, OPTIONAL);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, update_step, &u);
    return status ? status : person_respond(req, 200, u.id);
}

char *cadre_person_data(const struct person_values *v)
{
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s}", "name", v->name,
                          "gender", v->gender, "birth_date", v->birth_date, "ethnicity",
                          v->ethnicity, "education", v->education, "political_status",
                          v->political_status, "id_number", v->id_number, "mobile", v->mobile,
                          "occupation", v->occupation);
    char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(p);
    return text;
}

int cadre_person_of(struct request *req, const json_t *holder, const char *region,
                    long long *person_id)
{
    *person_id = json_member_int(holder, "person_id");
    if (*person_id)
        return 0;
    const json_t *p = json_object_get(holder, "person");
    struct person_values v = {
        .name = json_member_text(p, "name"), .gender = json_member_text(p, "gender"),
        .birth_date = json_member_text(p, "birth_date"), .ethnicity = json_member_text(p, "ethnicity"),
        .education = json_member_text(p, "education"),
        .political_status = json_member_text(p, "political_status"),
        .id_number = json_member_text(p, "id_number"), .mobile = json_member_text(p, "mobile"),
        .occupation = json_member_text(p, "occupation")};
    return cadre_person_insert(req, region, &v, person_id);
}
