/* Columns of the current row of a statement as JSON values: SQL NULL becomes null. */
#ifndef JICENG_COLUMN_JSON_H
#define JICENG_COLUMN_JSON_H

#include <jansson.h>

struct db_stmt;

/* The column's text as a string, or null. New reference. */
json_t *json_column_text(struct db_stmt *st, int col);

/* The column as an integer, or null. New reference. */
json_t *json_column_int(struct db_stmt *st, int col);

#endif
