/* The JSON writer: its text is what jansson's json_dumps makes of the same values (the flags
 * http_render uses), escapes, numbers, commas and nesting included, and it grows past its first
 * buffer. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>

#include "arena.h"
#include "check.h"
#include "json_out.h"

static const char *dumped(json_t *value)
{
    static char text[65536];
    char *s = json_dumps(value, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_ENCODE_ANY);
    snprintf(text, sizeof text, "%s", s ? s : "(dump failed)");
    free(s);
    json_decref(value);
    return text;
}

static const char *const strings[] = {
    "", "plain", "沈阳市和平区", "quote \" backslash \\ slash /", "\b\f\n\r\t",
    "\x01\x1f control \x7f", "末尾\n", "</script>", "emoji \xf0\x9f\x98\x80",
};

static void strings_match(struct arena *a)
{
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        struct json_out o;
        json_out_init(&o, a);
        json_out_str(&o, strings[i]);
        CHECK_STR(json_out_text(&o, NULL), dumped(json_string(strings[i])));
    }
    /* Every ASCII byte, each escaped or not as jansson does it. */
    char ascii[128];
    for (int c = 1; c < 128; c++)
        ascii[c - 1] = (char)c;
    ascii[127] = '\0';
    struct json_out o;
    json_out_init(&o, a);
    json_out_str(&o, ascii);
    CHECK_STR(json_out_text(&o, NULL), dumped(json_string(ascii)));
}

static void numbers_match(struct arena *a)
{
    static const long long values[] = {0, 7, -1, 1234567890123LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        struct json_out o;
        json_out_init(&o, a);
        json_out_int(&o, values[i]);
        CHECK_STR(json_out_text(&o, NULL), dumped(json_integer(values[i])));
    }
}

/* {"items":[{"id":1,"name":"a","ok":true,"none":null},...],"empty":[],"inner":{},"next":null} */
static void structure_matches(struct arena *a, int count)
{
    struct json_out o;
    json_out_init(&o, a);
    json_t *want = json_object(), *items = json_array();
    json_out_begin_object(&o);
    json_out_key(&o, "items");
    json_out_begin_array(&o);
    for (int i = 0; i < count; i++) {
        const char *name = strings[i % (sizeof strings / sizeof strings[0])];
        json_out_begin_object(&o);
        json_out_key(&o, "id");
        json_out_int(&o, i);
        json_out_key(&o, "name");
        json_out_str(&o, name);
        json_out_key(&o, "ok");
        json_out_bool(&o, i % 2 == 0);
        json_out_key(&o, "none");
        json_out_str(&o, NULL);
        json_out_end_object(&o);
        json_array_append_new(items, json_pack("{s:i, s:s, s:b, s:n}", "id", i, "name", name,
                                               "ok", i % 2 == 0, "none"));
    }
    json_out_end_array(&o);
    json_out_key(&o, "empty");
    json_out_begin_array(&o);
    json_out_end_array(&o);
    struct json_out inner;
    json_out_init(&inner, a);
    json_out_begin_object(&inner);
    json_out_end_object(&inner);
    json_out_key(&o, "inner");
    json_out_value_of(&o, &inner);
    json_out_key(&o, "next");
    json_out_null(&o);
    json_out_end_object(&o);
    json_object_set_new(want, "items", items);
    json_object_set_new(want, "empty", json_array());
    json_object_set_new(want, "inner", json_object());
    json_object_set_new(want, "next", json_null());
    size_t len;
    const char *text = json_out_text(&o, &len);
    CHECK_STR(text, dumped(want));
    CHECK_INT(len, strlen(text));
}

int main(void)
{
    struct arena *a = arena_new();
    strings_match(a);
    numbers_match(a);
    structure_matches(a, 0);
    structure_matches(a, 3);
    structure_matches(a, 300); /* well past the first buffer */
    arena_free(a);
    return check_report();
}
