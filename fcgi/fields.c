/* Checked reading of JSON body members; see fields.h. */
#include "fields.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "http.h"
#include "utf8.h"

int fields_begin(struct fields *f, struct request *req)
{
    *f = (struct fields){.req = req, .body = req->json};
    if (json_is_object(req->json))
        return 0;
    f->failed = true;
    return http_error(req, 400, "invalid_body", NULL, "send a JSON object as the request body");
}

int fields_end(const struct fields *f)
{
    return f->failed ? f->req->status : 0;
}

bool field_present(const struct fields *f, const char *name)
{
    return json_object_get(f->body, name) != NULL;
}

void field_fail(struct fields *f, const char *name, const char *code, const char *fmt, ...)
{
    if (f->failed && !f->errors)
        return;
    f->failed = true;
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (f->errors)
        json_array_append_new(f->errors, json_pack("{s:s, s:s, s:s}", "field", name, "code", code,
                                                   "message", message));
    else
        http_error(f->req, 422, code, name, "%s: %s", name, message);
}

/* The member, or NULL when absent or null: then a required one fails. */
static json_t *member(struct fields *f, const char *name, enum presence p)
{
    if (f->failed && !f->errors)
        return NULL;
    json_t *value = json_object_get(f->body, name);
    if (value && !json_is_null(value))
        return value;
    if (p == REQUIRED)
        field_fail(f, name, "required", "is required");
    return NULL;
}

const char *field_text(struct fields *f, const char *name, int min, int max, enum presence p)
{
    json_t *value = member(f, name, p);
    if (!value)
        return NULL;
    if (!json_is_string(value)) {
        field_fail(f, name, "invalid", "must be text");
        return NULL;
    }
    const char *s = json_string_value(value);
    size_t len = json_string_length(value);
    if (strlen(s) != len) {
        field_fail(f, name, "invalid", "must not contain NUL characters");
        return NULL;
    }
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    size_t chars = utf8_length(s, len);
    if (chars < (size_t)min || chars > (size_t)max) {
        if (chars == 0 && p == OPTIONAL && min > 0)
            return NULL; /* "" in an optional field means "not given" */
        field_fail(f, name, chars == 0 ? "required" : "invalid",
                   "must have %d to %d characters, not %zu", min, max, chars);
        return NULL;
    }
    return arena_strndup(f->req->arena, s, len);
}

int field_enum(struct fields *f, const char *name, const char *const *allowed, enum presence p)
{
    json_t *value = member(f, name, p);
    if (!value)
        return -1;
    const char *s = json_is_string(value) ? json_string_value(value) : "";
    for (int i = 0; allowed[i]; i++)
        if (strcmp(s, allowed[i]) == 0)
            return i;
    char list[400] = "";
    for (int i = 0; allowed[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 allowed[i]);
    field_fail(f, name, "invalid", "must be one of %s", list);
    return -1;
}

bool date_valid(const char *text)
{
    int y, m, d, n = 0;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        !isdigit((unsigned char)text[5]) || !isdigit((unsigned char)text[8]))
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1000 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

const char *field_date(struct fields *f, const char *name, enum presence p)
{
    json_t *value = member(f, name, p);
    if (!value)
        return NULL;
    const char *s = json_is_string(value) ? json_string_value(value) : "";
    if (!date_valid(s) || strcmp(s, "1900-01-01") < 0 || strcmp(s, "2199-12-31") > 0) {
        field_fail(f, name, "invalid", "must be a date YYYY-MM-DD between 1900 and 2199");
        return NULL;
    }
    return arena_strdup(f->req->arena, s);
}

long long field_int(struct fields *f, const char *name, long long min, long long max,
                    long long fallback, enum presence p)
{
    json_t *value = member(f, name, p);
    if (!value)
        return fallback;
    if (!json_is_integer(value) || json_integer_value(value) < min ||
        json_integer_value(value) > max) {
        field_fail(f, name, "invalid", "must be a whole number from %lld to %lld", min, max);
        return fallback;
    }
    return json_integer_value(value);
}

bool field_bool(struct fields *f, const char *name, bool fallback, enum presence p)
{
    json_t *value = member(f, name, p);
    if (!value)
        return fallback;
    if (!json_is_boolean(value)) {
        field_fail(f, name, "invalid", "must be true or false");
        return fallback;
    }
    return json_is_true(value);
}

void date_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
