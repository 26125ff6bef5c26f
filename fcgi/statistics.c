/* GET /api/v1/statistics/{code}: the figures of a region of the caller's jurisdiction, broken
 * down by its children, with the region's own row (what is registered at the region itself)
 * and the total. Counts come as (child, metric, n) rows: for a township and a village recounted
 * from the tables, for a county and above summed from the counts kept per township or county
 * (why: migration 006). All go through the my_* views, so the jurisdiction holds in SQL. */
#include "statistics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "fields.h"
#include "http.h"
#include "organisation.h"
#include "region_code.h"
#include "session.h"

/* The region and its children. The jurisdiction is the view's, on the region; the children lie
 * under it by their codes (as in regions.c). No row: not in the jurisdiction. */
static const char REGION_AND_CHILDREN[] =
    "SELECT p.code, p.name, p.level, c.code, c.name FROM my_region p"
    " LEFT JOIN region c ON c.parent_code = p.code WHERE p.code = ? ORDER BY c.code";

/* The statements below count what lies under the region asked for: the connection's
 * @jurisdiction is narrowed to it while they run (see statistics_read), so they read the whole
 * of their views. A condition on a parameter would not do: MariaDB does not push it into the
 * branches of my_stat_recount, which would then count the caller's whole jurisdiction. */
static const char KEPT_COUNTS[] =
    "SELECT LEFT(county, ?), metric, SUM(n) FROM my_stat_county GROUP BY 1, 2";

static const char KEPT_TOWNSHIP_COUNTS[] =
    "SELECT LEFT(township, ?), metric, SUM(n) FROM my_stat_township GROUP BY 1, 2";

static const char RECOUNT[] =
    "SELECT LEFT(region, ?), metric, SUM(n) FROM my_stat_recount GROUP BY 1, 2";

/* The regions under each child by level, for the formation rate. */
static const char REGION_COUNTS[] =
    "SELECT LEFT(code, ?), CONCAT('regions.', level), COUNT(*) FROM my_region GROUP BY 1, 2";

static const char *const statistics_age_bands[] = {"35_and_under", "36_to_45", "46_to_55",
                                            "56_and_over", NULL};

/* ------------------------------------------------------------------------------------------ */
/* Figures from counts */

static long long count_of(const json_t *counts, const char *metric)
{
    return json_integer_value(json_object_get(counts, metric));
}

/* part / whole to four places, or null when there is no whole. */
static json_t *share(long long part, long long whole)
{
    return whole > 0 ? json_real(round((double)part / (double)whole * 10000) / 10000)
                     : json_null();
}

/* Organisations by kind and level, the regions by level, and the formation rate. */
static void add_organisations(json_t *figures, const json_t *counts)
{
    json_t *orgs = json_object(), *regions = json_object(), *formation = json_object();
    long long all_orgs = 0, all_regions = 0, all_formed = 0;
    for (int k = 0; org_kinds[k]; k++) {
        json_t *by_level = json_object();
        for (int l = 0; org_levels[l]; l++) {
            char metric[48];
            snprintf(metric, sizeof metric, "org.%s.%d", org_kinds[k], l + 1);
            long long n = count_of(counts, metric);
            json_object_set_new(by_level, org_levels[l], json_integer(n));
            all_orgs += n;
        }
        json_object_set_new(orgs, org_kinds[k], by_level);
    }
    json_object_set_new(orgs, "total", json_integer(all_orgs));
    for (int l = 0; org_levels[l]; l++) {
        char metric[48];
        snprintf(metric, sizeof metric, "regions.%d", l + 1);
        long long n = count_of(counts, metric);
        snprintf(metric, sizeof metric, "org.federation.%d", l + 1);
        long long formed = count_of(counts, metric);
        json_object_set_new(regions, org_levels[l], json_integer(n));
        json_object_set_new(formation, org_levels[l],
                            json_pack("{s:I, s:I, s:o}", "regions", (json_int_t)n,
                                      "with_federation", (json_int_t)formed, "rate",
                                      share(formed, n)));
        all_regions += n;
        all_formed += formed;
    }
    json_object_set_new(regions, "total", json_integer(all_regions));
    json_object_set_new(formation, "total",
                        json_pack("{s:I, s:I, s:o}", "regions", (json_int_t)all_regions,
                                  "with_federation", (json_int_t)all_formed, "rate",
                                  share(all_formed, all_regions)));
    long long converted = count_of(counts, "converted"),
              congresses = count_of(counts, "org.womens_congress.5");
    json_object_set_new(figures, "organisations", orgs);
    json_object_set_new(figures, "regions", regions);
    json_object_set_new(figures, "formation", formation);
    json_object_set_new(figures, "conversion",
                        json_pack("{s:I, s:I, s:o}", "converted", (json_int_t)converted,
                                  "congresses", (json_int_t)congresses, "rate",
                                  share(converted, converted + congresses)));
}

static void add_offices(json_t *figures, const json_t *counts)
{
    static const char *const offices[][2] = {
        {"chair", "office.chair"},
        {"vice_chair_full_time", "office.vice_chair.full"},
        {"vice_chair_part_time", "office.vice_chair.part"},
        {"standing_member", "office.standing_member"},
        {"executive_member", "office.executive_member"},
        {"congress_director", "office.congress_director"},
        {"liaison_officer", "office.liaison_officer"},
    };
    json_t *out = json_object();
    for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++)
        json_object_set_new(out, offices[i][0], json_integer(count_of(counts, offices[i][1])));
    json_object_set_new(figures, "offices", out);
    long long chairs = count_of(counts, "village_chair"),
              in_two = count_of(counts, "village_chair.in_two");
    json_object_set_new(figures, "village_chairs",
                        json_pack("{s:I, s:I, s:o}", "total", (json_int_t)chairs,
                                  "in_two_committees", (json_int_t)in_two, "share",
                                  share(in_two, chairs)));
}

/* The band of an age at the end of the reporting year. */
static int age_band(long long age)
{
    return age <= 35 ? 0 : age <= 45 ? 1 : age <= 55 ? 2 : 3;
}

static void add_cadres(json_t *figures, const json_t *counts, int year)
{
    long long total = count_of(counts, "cadre"), party = count_of(counts, "party"), trained = 0,
              added = 0, bands[4] = {0};
    const char *metric;
    json_t *value;
    json_object_foreach((json_t *)counts, metric, value) {
        long long n = json_integer_value(value);
        if (strncmp(metric, "born.", 5) == 0)
            bands[age_band(year - atoi(metric + 5))] += n;
        else if (strncmp(metric, "trained.", 8) == 0 && atoi(metric + 8) >= year - 1)
            trained += n;
        else if (strncmp(metric, "added.", 6) == 0 && atoi(metric + 6) == year)
            added += n;
    }
    json_t *age = json_object(), *education = json_object();
    for (int i = 0; statistics_age_bands[i]; i++)
        json_object_set_new(age, statistics_age_bands[i], json_integer(bands[i]));
    for (int i = 0; cadre_educations[i]; i++) {
        char key[48];
        snprintf(key, sizeof key, "education.%s", cadre_educations[i]);
        json_object_set_new(education, cadre_educations[i],
                            json_integer(count_of(counts, key)));
    }
    json_t *cadres = json_pack("{s:I, s:o, s:o, s:I, s:o, s:I, s:o, s:I}", "total",
                               (json_int_t)total, "age", age, "education", education,
                               "party_members", (json_int_t)party, "party_share",
                               share(party, total), "trained_last_two_years",
                               (json_int_t)trained, "trained_share", share(trained, total),
                               "added_this_year", (json_int_t)added);
    json_object_set_new(figures, "cadres", cadres);
}

static json_t *figures_of(const json_t *counts, int year)
{
    json_t *figures = json_object();
    add_organisations(figures, counts);
    add_offices(figures, counts);
    add_cadres(figures, counts, year);
    return figures;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the counts */

/* Adds n to counts[metric]. */
static void add_count(json_t *counts, const char *metric, long long n)
{
    json_object_set_new(counts, metric, json_integer(count_of(counts, metric) + n));
}

/* Runs one of the count statements, grouped by the first child_len
 * characters, into counts (child code -> metric -> n) and total. A child code that is not a
 * row yet (counts under a code the division table lacks) gets one. DB_OK or an error. */
static int read_counts(struct request *req, const char *sql, size_t child_len, json_t *counts,
                       json_t *total)
{
    struct db_stmt *st = db_prepare(req->db, sql);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, (long long)child_len);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        const char *child = db_col_text(st, 0, NULL), *metric = db_col_text(st, 1, NULL);
        long long n = db_col_int(st, 2);
        if (!child || !metric)
            continue;
        json_t *row = json_object_get(counts, child);
        if (!row)
            json_object_set_new(counts, child, row = json_object());
        add_count(row, metric, n);
        add_count(total, metric, n);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

/* The region (new reference in *region) and its children as rows {code, name} in order (new
 * reference in *children). DB_ROW, DB_DONE when the region is not in the jurisdiction, or an
 * error. */
static int read_region(struct request *req, const char *code, json_t **region, json_t **children)
{
    *region = NULL;
    *children = json_array();
    struct db_stmt *st = db_prepare(req->db, REGION_AND_CHILDREN);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    while (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        if (!*region)
            *region = json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 0, NULL), "name",
                                db_col_text(st, 1, NULL), "level",
                                region_level_name((enum region_level)db_col_int(st, 2)));
        if (!db_col_null(st, 3))
            json_array_append_new(*children,
                                  json_pack("{s:s, s:s}", "code", db_col_text(st, 3, NULL),
                                            "name", db_col_text(st, 4, NULL)));
        rc = DB_OK;
    }
    if (rc == DB_DONE && *region)
        return DB_ROW;
    return rc == DB_OK ? DB_DONE : rc;
}

/* Turns the counts of each child into its figures, in the order of the division table; codes
 * the table lacks come after. Consumes counts. */
static json_t *children_rows(json_t *children, json_t *counts, int year)
{
    size_t i;
    json_t *child;
    json_array_foreach(children, i, child) {
        const char *code = json_string_value(json_object_get(child, "code"));
        json_t *row = json_object_get(counts, code);
        json_t *empty = row ? NULL : json_object();
        json_object_set_new(child, "figures", figures_of(row ? row : empty, year));
        json_decref(empty);
        json_object_del(counts, code);
    }
    const char *code;
    json_t *row;
    json_object_foreach(counts, code, row) {
        json_t *extra = json_pack("{s:s, s:o}", "code", code, "name", json_null());
        json_object_set_new(extra, "figures", figures_of(row, year));
        json_array_append_new(children, extra);
    }
    json_decref(counts);
    return children;
}

int statistics_read(struct request *req, json_t **out)
{
    *out = NULL;
    const char *code = http_path_param(req, "code");
    enum region_level level = region_level_of(code);
    if (level == LEVEL_NONE)
        return http_error(req, 400, "invalid_parameter", "code",
                          "a region code has 2, 4, 6, 9 or 12 digits");
    json_t *region, *children;
    int rc = read_region(req, code, &region, &children);
    if (rc != DB_ROW) {
        json_decref(children);
        return rc == DB_DONE
                   ? http_error(req, 404, NULL, "code", "no region %s in your jurisdiction", code)
                   : http_db_error(req, rc);
    }
    size_t child_len = region_code_length(level == LEVEL_VILLAGE ? level : level + 1);
    /* A county's breakdown is by township, so from the counts kept per township; a city's
     * and a province's from those per county; a township and a village are counted. */
    const char *counting = level <= LEVEL_CITY    ? KEPT_COUNTS
                           : level == LEVEL_COUNTY ? KEPT_TOWNSHIP_COUNTS
                                                   : RECOUNT;
    bool kept = counting != RECOUNT;
    json_t *counts = json_object(), *total = json_object();
    /* Narrower than the caller's own, which holds code (read_region found it): the views keep
     * the region asked for, and the guard's value comes back before anything else runs. */
    rc = db_set_jurisdiction(req->db, code);
    if (rc == DB_OK)
        rc = read_counts(req, counting, child_len, counts, total);
    if (rc == DB_OK)
        rc = read_counts(req, REGION_COUNTS, child_len, counts, total);
    int restored = db_set_jurisdiction(req->db, req->session->who.region);
    if (rc == DB_OK)
        rc = restored;
    if (rc != DB_OK) {
        json_decref(region);
        json_decref(children);
        json_decref(counts);
        json_decref(total);
        return http_db_error(req, rc);
    }
    char today[11];
    date_today(today);
    int year = atoi(today);
    /* What lies at the region itself: its own federation, committees and their offices. */
    json_t *own_counts = json_incref(json_object_get(counts, code));
    json_object_del(counts, code);
    json_t *own = json_pack("{s:O, s:O}", "code", json_object_get(region, "code"), "name",
                            json_object_get(region, "name"));
    json_t *empty = json_object();
    json_object_set_new(own, "figures", figures_of(own_counts ? own_counts : empty, year));
    json_decref(own_counts);
    json_decref(empty);
    *out = json_pack("{s:o, s:s, s:i, s:s, s:o, s:o, s:{s:o}}", "region", region, "as_of",
                     today, "year", year, "source", kept ? "kept_counts" : "recount",
                     "children", children_rows(children, counts, year), "own", own, "total",
                     "figures", figures_of(total, year));
    json_decref(total);
    return 0;
}

int statistics_get(struct request *req)
{
    json_t *doc;
    int status = statistics_read(req, &doc);
    return status ? status : http_json(req, 200, doc);
}
