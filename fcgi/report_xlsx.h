/* Reports for filing as one XLSX sheet (the statistics' 妇基统1表, the new organisations'
 * coverage): a title, the table number, the reporting region and date, two rows of Chinese
 * headers (groups over columns), a row per region with figures read from a JSON document by
 * path, a bold total row and a note. The caller lays out nothing itself, so the reports look
 * alike. */
#ifndef JICENG_REPORT_XLSX_H
#define JICENG_REPORT_XLSX_H

#include <jansson.h>
#include <stdbool.h>

#include "request.h"

/* A column: its group (the first header row; NULL continues the group before), its title, and
 * the value: '+'-separated '.'-paths into a row's figures, summed (an object sums its members).
 * A rate is shown as a percentage, a ratio with two decimals, a count as a whole number; blank
 * when a path leads nowhere (or to null). */
enum report_number { REPORT_COUNT, REPORT_RATE, REPORT_RATIO };

struct report_column {
    const char *group, *title, *path;
    enum report_number shown;
};

struct report_row {
    const char *name, *code;
    const json_t *figures; /* borrowed */
    bool total;            /* bold */
};

struct report {
    const char *sheet, *title, *table_number, *region_name, *region_code, *as_of;
    const char *note; /* under the table; NULL for none */
    const struct report_column *columns;
    int column_count;
    const struct report_row *rows;
    int row_count;
};

/* Writes the report into a temporary file and sends it as an attachment named file_name
 * (ascii_name for old clients). Returns the status: 200 once sent, or 500 with the answer set
 * when it could not be made. */
int report_send(struct request *req, const struct report *r, const char *file_name,
                const char *ascii_name);

#endif
