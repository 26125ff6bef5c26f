/* JSON text written straight into an arena buffer (see json_out.h). */
#include "json_out.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"

enum { FIRST_CAPACITY = 4096 };

void json_out_init(struct json_out *o, struct arena *a)
{
    *o = (struct json_out){.arena = a, .first = true};
    o->cap = FIRST_CAPACITY;
    o->buf = arena_alloc(a, o->cap);
}

/* Room for n more bytes and a terminator. The old buffer stays in the arena until the request
 * ends: doubling wastes at most as much as the answer is long. */
static void reserve(struct json_out *o, size_t n)
{
    if (o->len + n + 1 <= o->cap)
        return;
    size_t cap = o->cap * 2;
    while (o->len + n + 1 > cap)
        cap *= 2;
    char *buf = arena_alloc(o->arena, cap);
    memcpy(buf, o->buf, o->len);
    o->buf = buf;
    o->cap = cap;
}

static void put(struct json_out *o, const char *s, size_t n)
{
    reserve(o, n);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_char(struct json_out *o, char c)
{
    reserve(o, 1);
    o->buf[o->len++] = c;
}

/* The comma before a value or a key, unless it is the first of its container or a key's value. */
static void separate(struct json_out *o)
{
    if (o->after_key)
        o->after_key = false;
    else if (!o->first)
        put_char(o, ',');
    o->first = false;
}

void json_out_begin_object(struct json_out *o)
{
    separate(o);
    put_char(o, '{');
    o->first = true;
}

void json_out_end_object(struct json_out *o)
{
    put_char(o, '}');
    o->first = false;
}

void json_out_begin_array(struct json_out *o)
{
    separate(o);
    put_char(o, '[');
    o->first = true;
}

void json_out_end_array(struct json_out *o)
{
    put_char(o, ']');
    o->first = false;
}

/* What a byte becomes in a JSON string, with jansson's escapes (JSON_ESCAPE_SLASH): 0 for
 * itself; else the letter after the backslash, 'u' for \u00XX. A table, because every byte of
 * every string and key of a page passes here (a tenth of the CPU of a roster page). */
static const char escapes[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    ['"'] = '"', ['\\'] = '\\', ['/'] = '/',
};

/* A quoted string; everything but the escaped bytes, UTF-8 included, as it is. Runs without
 * escapes are copied at once. */
static void quoted(struct json_out *o, const char *s, size_t len)
{
    reserve(o, len + 2);
    o->buf[o->len++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        char e = escapes[(unsigned char)s[i]];
        if (!e)
            continue;
        put(o, s + run, i - run);
        run = i + 1;
        if (e == 'u') {
            char code[8];
            snprintf(code, sizeof code, "\\u%04X", (unsigned char)s[i]);
            put(o, code, 6);
        } else {
            const char two[2] = {'\\', e};
            put(o, two, 2);
        }
    }
    put(o, s + run, len - run);
    put_char(o, '"');
}

void json_out_key(struct json_out *o, const char *key)
{
    separate(o);
    quoted(o, key, strlen(key));
    put_char(o, ':');
    o->after_key = true;
}

void json_out_strn(struct json_out *o, const char *s, size_t len)
{
    separate(o);
    if (s)
        quoted(o, s, len);
    else
        put(o, "null", 4);
}

void json_out_str(struct json_out *o, const char *s)
{
    json_out_strn(o, s, s ? strlen(s) : 0);
}

void json_out_int(struct json_out *o, long long value)
{
    separate(o);
    char digits[24], *end = digits + sizeof digits, *p = end;
    unsigned long long u = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        *--p = '-';
    put(o, p, (size_t)(end - p));
}

void json_out_bool(struct json_out *o, bool value)
{
    separate(o);
    if (value)
        put(o, "true", 4);
    else
        put(o, "false", 5);
}

void json_out_null(struct json_out *o)
{
    separate(o);
    put(o, "null", 4);
}

void json_out_value_of(struct json_out *o, const struct json_out *value)
{
    separate(o);
    put(o, value->buf, value->len);
}

const char *json_out_text(struct json_out *o, size_t *len)
{
    o->buf[o->len] = '\0';
    if (len)
        *len = o->len;
    return o->buf;
}
