/* Columns as JSON values. */
#include "column_json.h"

#include "db.h"

json_t *json_column_text(struct db_stmt *st, int col)
{
    const char *text = db_col_text(st, col, NULL);
    return text ? json_string(text) : json_null();
}

json_t *json_column_int(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}
