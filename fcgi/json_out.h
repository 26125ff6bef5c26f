/* JSON text written straight into a request arena buffer, for the large read answers (list
 * pages): no tree of json_t values to build, hash and walk again to dump. The output is what
 * json_dumps(JSON_COMPACT | JSON_ESCAPE_SLASH) makes of the same values in the same order.
 *
 *   struct json_out o;
 *   json_out_init(&o, req->arena);
 *   json_out_begin_object(&o);
 *   json_out_key(&o, "items");
 *   json_out_begin_array(&o);
 *   ... json_out_begin_object(&o); json_out_key(&o, "id"); json_out_int(&o, 7); ...
 *   json_out_end_array(&o);
 *   json_out_end_object(&o);
 *   return http_json_text(req, 200, &o);
 *
 * Commas are put in by the writer. Strings must be UTF-8 (database text is); NULL strings are
 * written as null. */
#ifndef JICENG_JSON_OUT_H
#define JICENG_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct json_out {
    struct arena *arena;
    char *buf;
    size_t len, cap;
    bool first;     /* nothing written yet in the current object or array */
    bool after_key; /* a key was written: the value follows without a comma */
};

void json_out_init(struct json_out *o, struct arena *a);

void json_out_begin_object(struct json_out *o);
void json_out_end_object(struct json_out *o);
void json_out_begin_array(struct json_out *o);
void json_out_end_array(struct json_out *o);

/* A member's name; its value is the next thing written. */
void json_out_key(struct json_out *o, const char *key);

void json_out_str(struct json_out *o, const char *s);
void json_out_strn(struct json_out *o, const char *s, size_t len);
void json_out_int(struct json_out *o, long long value);
void json_out_bool(struct json_out *o, bool value);
void json_out_null(struct json_out *o);

/* Appends what another writer wrote (a complete value) as the next value. */
void json_out_value_of(struct json_out *o, const struct json_out *value);

/* The text so far, NUL-terminated. */
const char *json_out_text(struct json_out *o, size_t *len);

#endif
