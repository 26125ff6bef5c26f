/* What import columns say about themselves (for templates and messages), and CSV written for
 * download with formula-looking cells made text. */
#include "import_columns.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"

/* "女、男": the names a column allows, for notes and messages. */
static const char *allowed_text(struct arena *a, const struct import_column *c)
{
    const char *text = "";
    for (int i = 0; c->names && c->names[i]; i++)
        text = arena_printf(a, "%s%s%s", text, i ? "、" : "", c->names[i]);
    return text;
}

const char *import_column_note(struct arena *a, const struct import_column *c)
{
    const char *allowed = allowed_text(a, c);
    return arena_printf(a, "%s%s%s%s%s", c->required ? "必填" : "选填",
                        allowed[0] ? "：" : "", allowed, c->note ? "；" : "",
                        c->note ? c->note : "");
}

const char *import_allowed_message(struct arena *a, const struct import_column *c)
{
    return arena_printf(a, "must be one of %s", allowed_text(a, c));
}

/* Appends one CSV cell: quoted when it holds a separator, quote or line break; with a leading
 * apostrophe when a spreadsheet would otherwise read it as a formula (=, +, -, @, or a tab or
 * carriage return before one), so what a file sent never comes back to run. */
static char *put_cell(char *out, const char *text, bool last)
{
    bool formula = text[0] && strchr("=+-@\t\r", text[0]);
    bool quote = formula || strpbrk(text, ",\"\r\n");
    if (quote)
        *out++ = '"';
    if (formula)
        *out++ = '\'';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            *out++ = '"';
        *out++ = *p;
    }
    if (quote)
        *out++ = '"';
    *out++ = last ? '\r' : ',';
    if (last)
        *out++ = '\n';
    return out;
}

/* Room for a cell in put_cell: every character doubled, quotes, apostrophe, separator. */
static size_t cell_room(const char *text)
{
    return 2 * strlen(text) + 6;
}

const char *import_csv_rows(struct arena *a, const char *const *cells, int columns, int rows,
                            size_t *len)
{
    size_t room = 4;
    for (int i = 0; i < columns * rows; i++)
        room += cell_room(cells[i]);
    char *out = arena_alloc(a, room), *o = out;
    memcpy(o, "\xef\xbb\xbf", 3);
    o += 3;
    for (int i = 0; i < columns * rows; i++)
        o = put_cell(o, cells[i], i % columns == columns - 1);
    *len = (size_t)(o - out);
    return out;
}
