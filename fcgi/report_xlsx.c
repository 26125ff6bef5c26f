/* Reports for filing as one XLSX sheet; see report_xlsx.h. */
#include "report_xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "http.h"
#include "log.h"
#include "table_out.h"

static const char XLSX_TYPE[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* The first column of figures (after the region's name and code), and the first header row. */
enum { FIRST = 2, HEAD = 3 };

/* The value of one '.'-separated path in figures; NULL when it leads nowhere. */
static const json_t *at(const json_t *figures, const char *path, size_t len)
{
    const json_t *v = figures;
    while (v && len) {
        size_t part = strcspn(path, ".");
        if (part > len)
            part = len;
        char key[48];
        snprintf(key, sizeof key, "%.*s", (int)part, path);
        v = json_object_get(v, key);
        path += part, len -= part;
        if (len)
            path++, len--;
    }
    return v;
}

/* The sum of a column's paths; *none when a path has no number (a rate with nothing to divide
 * by). */
static double value_of(const json_t *figures, const char *paths, bool *none)
{
    double sum = 0;
    *none = false;
    while (*paths) {
        size_t len = strcspn(paths, "+");
        const json_t *v = at(figures, paths, len);
        const char *key;
        json_t *member;
        if (json_is_object(v)) {
            json_object_foreach((json_t *)v, key, member)
                sum += json_number_value(member);
        } else if (json_is_number(v)) {
            sum += json_number_value(v);
        } else {
            *none = true;
        }
        paths += len + (paths[len] == '+');
    }
    return sum;
}

struct formats {
    lxw_format *title, *note, *head, *text, *count, *rate, *ratio, *total_text, *total_count,
        *total_rate, *total_ratio;
};

static lxw_format *format_new(lxw_workbook *wb, bool bold, const char *number)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_font_size(f, 10);
    if (bold)
        format_set_bold(f);
    if (number)
        format_set_num_format(f, number);
    return f;
}

static void formats_make(lxw_workbook *wb, struct formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    f->note = workbook_add_format(wb);
    format_set_font_size(f->note, 10);
    f->head = format_new(wb, true, NULL);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->head);
    format_set_bg_color(f->head, 0xDDEBF7);
    f->text = format_new(wb, false, NULL);
    f->count = format_new(wb, false, "0");
    f->rate = format_new(wb, false, "0.0%");
    f->ratio = format_new(wb, false, "0.00");
    f->total_text = format_new(wb, true, NULL);
    f->total_count = format_new(wb, true, "0");
    f->total_rate = format_new(wb, true, "0.0%");
    f->total_ratio = format_new(wb, true, "0.00");
}

/* The title, the table number, the region and date, and the two header rows. */
static void write_head(lxw_worksheet *ws, const struct formats *f, const struct report *r)
{
    const struct report_column *columns = r->columns;
    int n = r->column_count;
    char text[256];
    lxw_col_t last = (lxw_col_t)(FIRST + n - 1);
    worksheet_merge_range(ws, 0, 0, 0, last, r->title, f->title);
    snprintf(text, sizeof text, "表号：%s", r->table_number);
    worksheet_write_string(ws, 1, 0, text, f->note);
    snprintf(text, sizeof text, "填报单位：%s（%s）", r->region_name ? r->region_name : "",
             r->region_code);
    worksheet_write_string(ws, 1, 4, text, f->note);
    snprintf(text, sizeof text, "统计日期：%s", r->as_of);
    worksheet_write_string(ws, 1, last - 3, text, f->note);
    worksheet_merge_range(ws, HEAD, 0, HEAD + 1, 0, "区划", f->head);
    worksheet_merge_range(ws, HEAD, 1, HEAD + 1, 1, "区划代码", f->head);
    for (int i = 0; i < n; i++) {
        if (columns[i].group) {
            int span = 1;
            while (i + span < n && !columns[i + span].group)
                span++;
            lxw_col_t from = (lxw_col_t)(FIRST + i), to = (lxw_col_t)(FIRST + i + span - 1);
            if (span > 1)
                worksheet_merge_range(ws, HEAD, from, HEAD, to, columns[i].group, f->head);
            else
                worksheet_write_string(ws, HEAD, from, columns[i].group, f->head);
        }
        worksheet_write_string(ws, HEAD + 1, (lxw_col_t)(FIRST + i), columns[i].title, f->head);
    }
    worksheet_set_row(ws, HEAD + 1, 30, NULL);
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 1, 1, 13, NULL);
    worksheet_set_column(ws, FIRST, last, 9, NULL);
    worksheet_freeze_panes(ws, HEAD + 2, FIRST);
}

static void write_row(lxw_worksheet *ws, const struct formats *f, lxw_row_t row,
                      const struct report *r, const struct report_row *data)
{
    bool total = data->total;
    worksheet_write_string(ws, row, 0, data->name ? data->name : "",
                           total ? f->total_text : f->text);
    worksheet_write_string(ws, row, 1, data->code ? data->code : "",
                           total ? f->total_text : f->text);
    for (int i = 0; i < r->column_count; i++) {
        const struct report_column *c = &r->columns[i];
        bool none;
        double v = value_of(data->figures, c->path, &none);
        lxw_format *format = c->shown == REPORT_RATE    ? (total ? f->total_rate : f->rate)
                             : c->shown == REPORT_RATIO ? (total ? f->total_ratio : f->ratio)
                                                        : (total ? f->total_count : f->count);
        lxw_col_t col = (lxw_col_t)(FIRST + i);
        if (none)
            worksheet_write_blank(ws, row, col, format);
        else
            worksheet_write_number(ws, row, col, v, format);
    }
}

/* Writes the report into the workbook file at path. LXW_NO_ERROR or the error. */
static lxw_error write_report(const char *path, const struct report *r)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return LXW_ERROR_CREATING_XLSX_FILE;
    lxw_worksheet *ws = workbook_add_worksheet(wb, r->sheet);
    struct formats f;
    formats_make(wb, &f);
    write_head(ws, &f, r);
    lxw_row_t row = HEAD + 2;
    for (int i = 0; i < r->row_count; i++)
        write_row(ws, &f, row++, r, &r->rows[i]);
    if (r->note)
        worksheet_write_string(ws, row + 1, 0, r->note, f.note);
    return workbook_close(wb);
}

int report_send(struct request *req, const struct report *r, const char *file_name,
                const char *ascii_name)
{
    const char *path = table_temp_path(req);
    lxw_error err = path ? write_report(path, r) : LXW_ERROR_CREATING_TMPFILE;
    if (err != LXW_NO_ERROR) {
        log_error("request %s: writing the report: %s", req->request_id, lxw_strerror(err));
        return http_error(req, 500, NULL, NULL, "the report could not be made");
    }
    table_attachment(req, file_name, ascii_name);
    if (table_send_file(req, path, XLSX_TYPE) != 0 && !req->streamed)
        return http_error(req, 500, NULL, NULL, "the report could not be sent");
    return req->status;
}
