/* Multi-row INSERTs with bound parameters, for writers of thousands of rows in one transaction
 * (an import), where a round trip per row would cost more than the rows themselves.
 *
 * A prepared statement has a fixed number of placeholders, and db_prepare caches statements by
 * the address of their constant text. So a writer keeps one statement per power of two up to
 * DB_ROWS_MAX rows and writes n rows as the chunks of n's binary digits: a full batch is one
 * statement, any other count at most DB_ROW_SIZES. */
#ifndef JICENG_DB_ROWS_H
#define JICENG_DB_ROWS_H

#include "db.h"

enum { DB_ROWS_MAX = 256, DB_ROW_SIZES = 9 };

/* The text row n times, separated by commas. */
#define DB_ROWS_1(row) row
#define DB_ROWS_2(row) row ", " row
#define DB_ROWS_4(row) DB_ROWS_2(row) ", " DB_ROWS_2(row)
#define DB_ROWS_8(row) DB_ROWS_4(row) ", " DB_ROWS_4(row)
#define DB_ROWS_16(row) DB_ROWS_8(row) ", " DB_ROWS_8(row)
#define DB_ROWS_32(row) DB_ROWS_16(row) ", " DB_ROWS_16(row)
#define DB_ROWS_64(row) DB_ROWS_32(row) ", " DB_ROWS_32(row)
#define DB_ROWS_128(row) DB_ROWS_64(row) ", " DB_ROWS_64(row)
#define DB_ROWS_256(row) DB_ROWS_128(row) ", " DB_ROWS_128(row)

/* The initialiser of an array of DB_ROW_SIZES statements head ROWS tail, for DB_ROWS_MAX rows
 * first, then half as many, down to one: index i holds DB_ROWS_MAX >> i rows. */
#define DB_ROWS_STATEMENTS(head, row, tail)                                                    \
    {                                                                                          \
        head DB_ROWS_256(row) tail, head DB_ROWS_128(row) tail, head DB_ROWS_64(row) tail,     \
            head DB_ROWS_32(row) tail, head DB_ROWS_16(row) tail, head DB_ROWS_8(row) tail,    \
            head DB_ROWS_4(row) tail, head DB_ROWS_2(row) tail, head DB_ROWS_1(row) tail       \
    }

/* The index in such an array of the largest statement for at most n (>= 1) rows. */
static inline int db_rows_index(int n)
{
    int i = 0;
    while ((DB_ROWS_MAX >> i) > n)
        i++;
    return i;
}

/* Binds the n (>= 1) values of an IN list of places placeholders, the last one repeated in the
 * places left over: a repeated value changes nothing, and one statement serves any count. */
static inline void db_rows_bind_ints(struct db_stmt *st, const long long *v, int n, int places)
{
    for (int i = 0; i < places; i++)
        db_bind_int(st, v[i < n ? i : n - 1]);
}

static inline void db_rows_bind_texts(struct db_stmt *st, const char *const *v, int n,
                                      int places)
{
    for (int i = 0; i < places; i++)
        db_bind_str(st, v[i < n ? i : n - 1]);
}

#endif
