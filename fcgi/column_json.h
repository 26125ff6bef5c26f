/* Rows of a statement as JSON and back: columns as JSON values (SQL NULL becomes null), the rows
 * of a statement as an array, and the members of such a row read as C values. */
#ifndef JICENG_COLUMN_JSON_H
#define JICENG_COLUMN_JSON_H

#include <jansson.h>

struct db;
struct db_stmt;
struct json_out;

/* The column's text as a string, or null. New reference. */
json_t *json_column_text(struct db_stmt *st, int col);

/* The column as an integer, or null. New reference. */
json_t *json_column_int(struct db_stmt *st, int col);

/* A member: the key, then the column's text as a string, or null (fcgi/json_out.h). */
void json_out_column(struct json_out *o, const char *key, struct db_stmt *st, int col);

/* The rows of sql run with id as its one parameter, each made JSON by row (new reference);
 * NULL with *rc set (a db.h error) when the database fails. */
json_t *json_rows_of(struct db *db, const char *sql, long long id,
                     json_t *(*row)(struct db_stmt *st), int *rc);

/* A member of an object as text (NULL when absent or not a string) or as an integer (0). */
const char *json_member_text(const json_t *object, const char *name);
long long json_member_int(const json_t *object, const char *name);

#endif
