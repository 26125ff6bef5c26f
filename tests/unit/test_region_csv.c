/* The region CSV reader: a small valid country, and one folder per kind of damage under
 * data/regions/invalid, each holding the damaged file and the exact message it must produce. */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "region_csv.h"

#define VALID "data/regions/valid"
#define INVALID "data/regions/invalid"

/* Reads one level of the valid set; the table is empty when it fails. */
static struct region_table read_valid(int level)
{
    char path[256], err[512] = "";
    struct region_table t;
    snprintf(path, sizeof path, VALID "/%s", region_csv_file(level));
    CHECK_INT(region_csv_read(path, level, &t, err, sizeof err), 0);
    CHECK_STR(err, "");
    return t;
}

static void check_row(const struct region_row *row, const char *code, const char *parent,
                      const char *name, int level, unsigned line)
{
    CHECK_STR(row->code, code);
    CHECK_STR(row->parent_code, parent);
    CHECK_STR(row->name, name);
    CHECK_INT(row->level, level);
    CHECK_INT(row->line, line);
}

static void test_valid(void)
{
    /* A byte order mark before the header. */
    struct region_table t = read_valid(1);
    CHECK_INT(t.count, 2);
    if (t.count == 2) check_row(&t.rows[1], "44", "", "广东省", 1, 3);
    region_table_free(&t);
    CHECK_INT(t.count, 0);

    /* CRLF line ends. */
    t = read_valid(2);
    CHECK_INT(t.count, 2);
    if (t.count == 2) check_row(&t.rows[0], "1101", "11", "市辖区", 2, 2);
    region_table_free(&t);

    /* A blank line is skipped but counted; a code ending in 00 stays as it is. */
    t = read_valid(3);
    CHECK_INT(t.count, 2);
    if (t.count == 2) check_row(&t.rows[1], "441900", "4419", "东莞市", 3, 4);
    region_table_free(&t);

    t = read_valid(4);
    CHECK_INT(t.count, 2);
    if (t.count == 2) check_row(&t.rows[1], "441900003", "441900", "东城街道", 4, 3);
    region_table_free(&t);

    /* Quoting, a name of exactly 100 four-byte characters, an unquoted name. */
    t = read_valid(5);
    CHECK_INT(t.count, 4);
    if (t.count == 4) {
        check_row(&t.rows[1], "441900003001", "441900003", "Foo, \"Bar\" village", 5, 3);
        CHECK_INT(strlen(t.rows[2].name), 400);
        CHECK_INT(t.rows[2].line, 4);
        check_row(&t.rows[3], "441900003003", "441900003", "unquoted name", 5, 5);
    }
    region_table_free(&t);
}

/* The level a case folder's file holds, from its name; 0 when there is none. */
static int case_level(const char *dir, char *path, size_t size)
{
    for (int level = 1; level <= REGION_LEVELS; level++) {
        snprintf(path, size, "%s/%s", dir, region_csv_file(level));
        if (access(path, R_OK) == 0) return level;
    }
    return 0;
}

/* Runs one folder: the reader must fail with the message in its error file and keep nothing. */
static void run_invalid_case(const char *name)
{
    char dir[256], path[320], want[1024] = "", err[1024] = "";
    snprintf(dir, sizeof dir, INVALID "/%s", name);
    snprintf(path, sizeof path, "%s/error", dir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return;
    if (!fgets(want, sizeof want, f)) want[0] = '\0';
    fclose(f);
    want[strcspn(want, "\n")] = '\0';

    int level = case_level(dir, path, sizeof path);
    CHECK(level != 0);
    struct region_table t = {.count = 99};
    CHECK_INT(region_csv_read(path, level, &t, err, sizeof err), -1);
    CHECK_STR(err, want);
    CHECK(t.rows == NULL && t.count == 0);
    region_table_free(&t);
}

static void test_invalid(void)
{
    DIR *d = opendir(INVALID);
    CHECK(d != NULL);
    if (!d) return;
    int cases = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        run_invalid_case(e->d_name);
        cases++;
    }
    closedir(d);
    /* A glob that matched nothing must not pass as "all cases passed". */
    CHECK(cases >= 20);
}

static void test_misuse(void)
{
    struct region_table t;
    char err[512];
    CHECK_INT(region_csv_read("data/regions/nowhere.csv", 1, &t, err, sizeof err), -1);
    CHECK_STR(err, "data/regions/nowhere.csv: cannot open: No such file or directory");
    CHECK_INT(region_csv_read(VALID "/provinces.csv", 6, &t, err, sizeof err), -1);
    CHECK_STR(err, VALID "/provinces.csv: no level 6");
    /* A file read as the wrong level fails on its header. */
    CHECK_INT(region_csv_read(VALID "/cities.csv", 1, &t, err, sizeof err), -1);
    CHECK_STR(err, VALID "/cities.csv:1: the header must be code,name");
    CHECK(region_csv_file(0) == NULL);
    CHECK_STR(region_csv_file(5), "villages.csv");
}

int main(void)
{
    test_valid();
    test_invalid();
    test_misuse();
    return check_report();
}
