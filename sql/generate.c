/* `jiceng generate`: runs the statements of generate_sql.c over the regions under a prefix,
 * chunk by chunk and phase by phase, in one transaction, and reports what it made. */
#include "generate.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "generate_sql.h"

enum { PATTERN_MAX = 16, BAR_WIDTH = 30 };

/* What a step's affected rows count as. */
enum tally { NO_TALLY = -1, ORGANISATIONS, PEOPLE, POSITIONS, TRAINING, NEW_ORGS, TALLIES };
static const char *const tally_names[TALLIES] = {"organisations", "people", "positions",
                                                 "training", "new_organisations"};

struct step {
    const char *sql;
    bool scope; /* binds the chunk's rank scope before its pattern */
    enum tally tally;
};

struct phase {
    const char *name;
    const struct step *steps; /* up to one with sql NULL */
    bool deleting;
};

/* One step per line reads best. */
/* clang-format off */
static const struct step delete_steps[] = {
    {GEN_DELETE_NEW_ORG_VISITS, false, NO_TALLY},
    {GEN_DELETE_NEW_ORG_LINKS, false, NO_TALLY},
    {GEN_DELETE_NEW_ORG_PROPOSALS, false, NO_TALLY},
    {GEN_DELETE_NEW_ORGS, false, NEW_ORGS},
    {GEN_DELETE_TRAINING, false, TRAINING},
    {GEN_DELETE_CANDIDATES, false, NO_TALLY},
    {GEN_DELETE_CANDIDATE_PEOPLE, false, NO_TALLY},
    {GEN_DELETE_REELECTIONS, false, NO_TALLY},
    {GEN_DELETE_COPIES, false, NO_TALLY},
    {GEN_DELETE_REQUEST_STEPS, false, NO_TALLY},
    {GEN_DELETE_REQUESTS, false, NO_TALLY},
    {GEN_UNLINK_POSITIONS, false, NO_TALLY},
    {GEN_DELETE_POSITIONS, false, POSITIONS},
    {GEN_DELETE_ORGANISATIONS, false, ORGANISATIONS},
    {GEN_DELETE_PEOPLE, false, PEOPLE},
    {NULL, false, NO_TALLY},
};
static const struct step organisation_steps[] = {
    {GEN_INSERT_ORGANISATIONS, false, ORGANISATIONS},
    {NULL, false, NO_TALLY},
};
static const struct step people_steps[] = {
    {GEN_STAGE_ORGANISATIONS, true, NO_TALLY},
    {GEN_STAGE_CADRES, false, NO_TALLY},
    {GEN_INSERT_PEOPLE, false, PEOPLE},
    {NULL, false, NO_TALLY},
};
static const struct step position_steps[] = {
    {GEN_INSERT_POSITIONS, false, POSITIONS},
    {GEN_LINK_SUCCESSORS, false, NO_TALLY},
    {NULL, false, NO_TALLY},
};
static const struct step training_steps[] = {
    {GEN_INSERT_TRAINING, false, TRAINING},
    {NULL, false, NO_TALLY},
};
static const struct step new_org_steps[] = {
    {GEN_INSERT_NEW_ORGS, false, NEW_ORGS},
    {NULL, false, NO_TALLY},
};

/* In this order: each phase reads what the ones before it wrote. */
static const struct phase phases[] = {
    {"deleting", delete_steps, true},
    {"organisations", organisation_steps, false},
    {"people", people_steps, false},
    {"positions", position_steps, false},
    {"training", training_steps, false},
    {"new_organisations", new_org_steps, false},
};
/* clang-format on */
enum { PHASES = sizeof phases / sizeof phases[0] };

/* A part of the work small enough for one statement: a province's own row, a city's subtree,
 * or the subtree of a prefix below the cities. scope is what the people's ordinals are
 * counted over: it holds whole counties. */
struct chunk {
    char pattern[PATTERN_MAX];
    char scope[PATTERN_MAX];
};

struct run {
    struct db *db;
    const struct generate_options *opt;
    const char *prefix; /* digits, "" for all */
    char like[PATTERN_MAX];
    char as_of[16];
    struct chunk *chunks;
    size_t chunk_count;
    long long regions;
    long long made[TALLIES], deleted[TALLIES];
    double seconds[PHASES], started;
    FILE *out;
    bool tty, open_line;
    double last_draw;
    char *err;
    size_t errlen;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Copies the database's message into err with what was being done; returns -1. */
static int fail_db(struct run *r, const char *doing)
{
    snprintf(r->err, r->errlen, "%s: %s", doing, db_error(r->db));
    return -1;
}

/* A phase's bar, redrawn in place on a terminal at most ten times a second; elsewhere (a log)
 * a line every ten seconds, so that a long phase shows it is alive. */
static void draw(struct run *r, const char *phase, size_t done, size_t total)
{
    static const char hashes[BAR_WIDTH + 1] = "##############################";
    double t = now();
    if (!r->out || (done < total && t - r->last_draw < (r->tty ? 0.1 : 10))) return;
    r->last_draw = t;
    if (!r->tty) {
        if (done < total) fprintf(r->out, "%s: %zu/%zu statements\n", phase, done, total);
        fflush(r->out);
        return;
    }
    int fill = total ? (int)(done * BAR_WIDTH / total) : BAR_WIDTH;
    fprintf(r->out, "\r\033[K%-13s %zu/%zu [%.*s%*s] %d%%", phase, done, total, fill, hashes,
            BAR_WIDTH - fill, "", total ? (int)(done * 100 / total) : 100);
    fflush(r->out);
    r->open_line = true;
}

/* A line that stays: over a terminal's bar, or one line per phase elsewhere. */
static void say(struct run *r, const char *fmt, ...)
{
    if (!r->out) return;
    if (r->tty && r->open_line) fputs("\r\033[K", r->out);
    r->open_line = false;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->out, fmt, ap);
    va_end(ap);
    fputc('\n', r->out);
    fflush(r->out);
}

/* Runs a statement that answers with one row of numbers into values[0..n). */
static int query_numbers(struct run *r, const char *sql, const char *param, int params,
                         long long *values, int n, const char *doing)
{
    struct db_stmt *st = db_prepare(r->db, sql);
    if (!st) return fail_db(r, doing);
    for (int i = 0; i < params; i++)
        db_bind_str(st, param);
    if (db_execute(st) != DB_OK || db_fetch(st) != DB_ROW) return fail_db(r, doing);
    for (int i = 0; i < n; i++)
        values[i] = db_col_int(st, i);
    db_reset(st);
    return 0;
}

/* The date everything is counted back from, and the session variables the statements read. */
static int set_parameters(struct run *r)
{
    struct db_stmt *st = db_prepare(r->db, GEN_AS_OF);
    if (!st) return fail_db(r, "cannot read today's date");
    db_bind_str(st, r->opt->as_of);
    if (db_execute(st) != DB_OK || db_fetch(st) != DB_ROW)
        return fail_db(r, "cannot read today's date");
    snprintf(r->as_of, sizeof r->as_of, "%s", db_col_text(st, 0, NULL));
    db_reset(st);
    st = db_prepare(r->db, GEN_SET_PARAMETERS);
    if (!st) return fail_db(r, "cannot set the seed");
    db_bind_int(st, r->opt->seed);
    db_bind_str(st, r->as_of);
    return db_execute(st) == DB_OK ? 0 : fail_db(r, "cannot set the seed");
}

static void add_chunk(struct run *r, const char *pattern, const char *scope)
{
    r->chunks = realloc(r->chunks, (r->chunk_count + 1) * sizeof *r->chunks);
    if (!r->chunks) out_of_memory();
    struct chunk *c = &r->chunks[r->chunk_count++];
    snprintf(c->pattern, sizeof c->pattern, "%s", pattern);
    snprintf(c->scope, sizeof c->scope, "%s", scope);
}

/* Provinces (their own row) and cities (their subtree) under the prefix; a prefix below the
 * cities is one chunk, whose ordinals count over its whole county. */
static int find_chunks(struct run *r)
{
    struct db_stmt *st = db_prepare(r->db, GEN_CHUNKS);
    if (!st) return fail_db(r, "cannot list the regions");
    db_bind_str(st, r->like);
    if (db_execute(st) != DB_OK) return fail_db(r, "cannot list the regions");
    int rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        char pattern[PATTERN_MAX];
        const char *code = db_col_text(st, 0, NULL);
        snprintf(pattern, sizeof pattern, db_col_int(st, 1) == 1 ? "%s" : "%s%%", code);
        add_chunk(r, pattern, pattern);
    }
    if (rc != DB_DONE) return fail_db(r, "cannot list the regions");
    if (r->chunk_count == 0) {
        char scope[PATTERN_MAX];
        snprintf(scope, sizeof scope, "%.6s%%", r->prefix);
        add_chunk(r, r->like, scope);
    }
    return 0;
}

/* Runs one step over every chunk, adding its affected rows to its tally. */
static int run_step(struct run *r, const struct phase *ph, const struct step *s, size_t *done,
                    size_t total)
{
    long long *tally = ph->deleting ? r->deleted : r->made;
    for (size_t i = 0; i < r->chunk_count; i++) {
        const struct chunk *c = &r->chunks[i];
        struct db_stmt *st = db_prepare(r->db, s->sql); /* cached; unbinds the parameters */
        if (!st) return fail_db(r, ph->name);
        if (s->scope) db_bind_str(st, c->scope);
        db_bind_str(st, c->pattern);
        if (db_execute(st) != DB_OK) {
            char doing[96];
            snprintf(doing, sizeof doing, "%s, regions %s", ph->name, c->pattern);
            return fail_db(r, doing);
        }
        if (s->tally != NO_TALLY) tally[s->tally] += db_affected(st);
        draw(r, ph->name, ++*done, total);
    }
    return 0;
}

static int run_phase(struct run *r, int index)
{
    const struct phase *ph = &phases[index];
    double t0 = now();
    size_t steps = 0, done = 0;
    while (ph->steps[steps].sql)
        steps++;
    r->last_draw = t0;
    for (size_t i = 0; i < steps; i++)
        if (run_step(r, ph, &ph->steps[i], &done, steps * r->chunk_count) != 0) return -1;
    r->seconds[index] = now() - t0;
    say(r, "%-13s done in %.1f s", ph->name, r->seconds[index]);
    return 0;
}

/* The audit entry of the run: what it made, and what it deleted first. */
static int write_audit(struct run *r)
{
    json_t *after = json_pack("{s:s, s:I, s:s}", "under", r->prefix[0] ? r->prefix : "all", "seed",
                              (json_int_t)r->opt->seed, "as_of", r->as_of);
    json_t *before = r->opt->replace ? json_object() : NULL;
    if (!after || (r->opt->replace && !before)) out_of_memory();
    for (int t = 0; t < TALLIES; t++) {
        json_object_set_new(after, tally_names[t], json_integer(r->made[t]));
        if (before) json_object_set_new(before, tally_names[t], json_integer(r->deleted[t]));
    }
    struct audit_entry e = {
        .actor = "jiceng generate",
        .actor_region = "",
        .region = r->prefix,
        .action = "generate",
        .entity = "generated_data",
        .entity_id = r->prefix[0] ? r->prefix : "all",
        .before = before,
        .after = after,
    };
    int rc = audit_write(r->db, &e);
    json_decref(after);
    json_decref(before);
    return rc == DB_OK ? 0 : fail_db(r, "cannot write the audit log");
}

/* Refuses to write over data: generated or entered, it would clash or be mixed with ours. */
static int check_existing(struct run *r)
{
    long long n[2];
    if (query_numbers(r, GEN_EXISTING, r->like, 2, n, 2, "cannot look for existing data") != 0)
        return -1;
    if ((n[0] == 0 && n[1] == 0) || r->opt->replace) return 0;
    snprintf(r->err, r->errlen,
             "%lld organisations and %lld people exist under %s already; --replace deletes "
             "them (with their positions and training) and generates again",
             n[0], n[1], r->prefix[0] ? r->prefix : "the whole region table");
    return 1;
}

static void report(struct run *r)
{
    if (!r->out) return;
    fprintf(r->out, "\ngenerated under %s, seed %lld, as of %s\n",
            r->prefix[0] ? r->prefix : "all regions", r->opt->seed, r->as_of);
    if (r->opt->replace)
        fprintf(r->out,
                "deleted first: %lld organisations, %lld people, %lld positions, "
                "%lld training records, %lld new organisations (%.1f s)\n",
                r->deleted[ORGANISATIONS], r->deleted[PEOPLE], r->deleted[POSITIONS],
                r->deleted[TRAINING], r->deleted[NEW_ORGS], r->seconds[0]);
    fprintf(r->out, "%-17s %10s %9s\n", "phase", "rows", "seconds");
    for (int t = 0; t < TALLIES; t++)
        fprintf(r->out, "%-17s %10lld %9.1f\n", tally_names[t], r->made[t], r->seconds[t + 1]);
    fprintf(r->out, "%-17s %10s %9.1f\n", "total", "", now() - r->started);
}

/* Runs sql with the scope bound, if it has a placeholder. */
static int run_scoped(struct run *r, const char *sql, const char *scope)
{
    struct db_stmt *st = db_prepare(r->db, sql);
    if (!st) return fail_db(r, "cannot count the statistics again");
    if (strchr(sql, '?')) db_bind_str(st, scope);
    return db_execute(st) == DB_OK ? 0 : fail_db(r, "cannot count the statistics again");
}

/* The townships' counts of scope made again from the tables. Above a province, province by
 * province: one statement over the whole country grouped 7.8 million positions in on-disk
 * temporary tables for more than half an hour; a province's fit in memory. */
static int recount_townships(struct run *r, const char *scope)
{
    if (strlen(scope) >= 2)
        return run_scoped(r, GEN_STAT_SCOPE, scope) ||
               run_scoped(r, GEN_STAT_RECOUNT_TOWNSHIPS, scope);
    for (size_t i = 0; i < r->chunk_count; i++) {
        const char *province = r->chunks[i].pattern; /* a province's chunk is its own code */
        if (strlen(province) == 2 && (run_scoped(r, GEN_STAT_SCOPE, province) ||
                                      run_scoped(r, GEN_STAT_RECOUNT_TOWNSHIPS, province)))
            return -1;
    }
    return 0;
}

/* The statistics' counts of the run's scope, made again from the tables (see GEN_STAT_*). */
static int recount_statistics(struct run *r)
{
    double t0 = now();
    char scope[8];
    snprintf(scope, sizeof scope, "%.6s", r->prefix);
    int rc = run_scoped(r, GEN_STAT_FORGET, scope);
    if (rc == 0) rc = run_scoped(r, GEN_STAT_FORGET_TOWNSHIPS, scope);
    if (rc == 0) rc = recount_townships(r, scope);
    if (rc == 0) rc = run_scoped(r, GEN_STAT_RECOUNT, scope);
    if (rc == 0) say(r, "%-13s done in %.1f s", "statistics", now() - t0);
    return rc;
}

/* Everything between the checks and the report, in one transaction. */
static int write_all(struct run *r)
{
    if (db_exec_script(r->db, GEN_STAGING_TABLES) != DB_OK)
        return fail_db(r, "cannot make the staging tables");
    if (db_begin(r->db) != DB_OK) return fail_db(r, "cannot start a transaction");
    int rc = db_exec_script(r->db, GEN_STAT_DEFER) == DB_OK ? 0 : fail_db(r, "cannot defer");
    for (int i = 0; rc == 0 && i < PHASES; i++)
        if (!phases[i].deleting || r->opt->replace) rc = run_phase(r, i);
    if (rc == 0) rc = recount_statistics(r);
    if (rc == 0) rc = write_audit(r);
    if (rc == 0 && db_commit(r->db) != DB_OK) rc = fail_db(r, "cannot commit");
    if (rc != 0) db_rollback(r->db);
    db_exec_script(r->db, GEN_STAT_RESUME);
    db_exec_script(r->db, GEN_DROP_STAGING);
    return rc;
}

static bool valid_prefix(const char *prefix)
{
    size_t n = strlen(prefix);
    return n <= 12 && strspn(prefix, "0123456789") == n;
}

/* YYYY-MM-DD naming a day that exists. */
static bool valid_date(const char *text)
{
    int y, m, d, used = 0;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    return t != (time_t)-1 && tm.tm_year == y - 1900 && tm.tm_mon == m - 1 && tm.tm_mday == d &&
           y >= 1970;
}

int generate(struct db *db, const struct generate_options *opt, FILE *progress, char *err,
             size_t errlen)
{
    struct run r = {.db = db, .opt = opt, .err = err, .errlen = errlen, .out = progress};
    r.prefix = opt->under ? opt->under : "";
    r.started = now();
    r.tty = progress && isatty(fileno(progress));
    if (!valid_prefix(r.prefix)) {
        snprintf(err, errlen, "the region prefix \"%.20s\" is not up to 12 digits", r.prefix);
        return -1;
    }
    if (opt->as_of && !valid_date(opt->as_of)) {
        snprintf(err, errlen, "the date \"%.20s\" is not a day written YYYY-MM-DD", opt->as_of);
        return -1;
    }
    snprintf(r.like, sizeof r.like, "%s%%", r.prefix);
    int rc =
        query_numbers(&r, GEN_COUNT_REGIONS, r.like, 1, &r.regions, 1, "cannot count the regions");
    if (rc == 0 && r.regions == 0) {
        snprintf(err, errlen, "no region code starts with %s: import the regions first", r.prefix);
        rc = -1;
    }
    if (rc == 0) rc = check_existing(&r);
    if (rc == 0) rc = set_parameters(&r);
    if (rc == 0) rc = find_chunks(&r);
    if (rc == 0) {
        say(&r, "generating for %lld regions under %s in %zu parts", r.regions,
            r.prefix[0] ? r.prefix : "all", r.chunk_count);
        rc = write_all(&r);
    }
    if (r.open_line) fputc('\n', progress); /* keep the bar above the caller's message */
    if (rc == 0) report(&r);
    free(r.chunks);
    return rc;
}
