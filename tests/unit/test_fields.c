/* Reading body members: types, bounds, trimming, required and optional, first error wins. */
#include "check.h"
#include "fake_request.h"
#include "fields.h"
#include "http.h"

static const char *const kinds[] = {"federation", "womens_congress", NULL};

static struct request *with_body(struct arena *a, const char *json)
{
    struct request *req = fake_request(a, "POST", "/x", NULL, "application/json", json);
    CHECK_INT(http_read_json_body(req), 0);
    return req;
}

static const char *error_field(struct request *req)
{
    return json_string_value(json_object_get(json_object_get(req->body, "error"), "field"));
}

int main(void)
{
    struct arena *a = arena_new();
    struct fields f;
    struct request *req = with_body(a, "{\"name\": \"  浑河湾街道妇联 \", \"kind\": \"federation\","
                                       " \"term_years\": 5, \"on\": \"2024-02-29\", \"ft\": true}");
    CHECK_INT(fields_begin(&f, req), 0);
    CHECK_STR(field_text(&f, "name", 1, 10, REQUIRED), "浑河湾街道妇联");
    CHECK_INT(field_enum(&f, "kind", kinds, REQUIRED), 0);
    CHECK_INT(field_int(&f, "term_years", 3, 5, 0, REQUIRED), 5);
    CHECK_STR(field_date(&f, "on", REQUIRED), "2024-02-29");
    CHECK(field_bool(&f, "ft", false, OPTIONAL));
    CHECK(field_text(&f, "absent", 1, 10, OPTIONAL) == NULL);
    CHECK_INT(field_int(&f, "absent", 3, 5, 4, OPTIONAL), 4);
    CHECK_INT(fields_end(&f), 0);

    /* The first failure is the one reported; the reads after it do nothing. */
    req = with_body(a, "{\"term_years\": 6, \"kind\": \"club\"}");
    fields_begin(&f, req);
    field_int(&f, "term_years", 3, 5, 0, REQUIRED);
    field_enum(&f, "kind", kinds, REQUIRED);
    CHECK_INT(fields_end(&f), 422);
    CHECK_STR(error_field(req), "term_years");

    req = with_body(a, "{\"name\": \"   \"}");
    fields_begin(&f, req);
    field_text(&f, "name", 1, 10, REQUIRED);
    CHECK_INT(fields_end(&f), 422);
    CHECK_STR(error_field(req), "name");

    static const char *const bad_dates[] = {"2023-02-29", "2024-13-01", "2024-1-01", "24-01-01",
                                            "2024-01-32", "1899-12-31", "2024-01-01x", NULL};
    for (int i = 0; bad_dates[i]; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"on\": \"%s\"}", bad_dates[i]);
        req = with_body(a, body);
        fields_begin(&f, req);
        field_date(&f, "on", REQUIRED);
        CHECK_INT(fields_end(&f), 422);
    }
    req = with_body(a, "{\"n\": \"5\", \"b\": 1}");
    fields_begin(&f, req);
    field_int(&f, "n", 0, 9, 0, REQUIRED);
    CHECK_INT(fields_end(&f), 422); /* a number in a string is not a number */
    req = with_body(a, "{\"b\": 1}");
    fields_begin(&f, req);
    field_bool(&f, "b", false, REQUIRED);
    CHECK_INT(fields_end(&f), 422);
    req = with_body(a, "[1]");
    CHECK_INT(fields_begin(&f, req), 400);
    arena_free(a);
    return check_report();
}
