/* Query strings, JSON bodies, UTF-8, region codes, and the shape of rendered responses. */
#include "check.h"
#include "fake_request.h"
#include "http.h"
#include "region_code.h"
#include "utf8.h"

static const char *error_field(struct request *req, const char *name)
{
    return json_string_value(json_object_get(json_object_get(req->body, "error"), name));
}

static void test_query(struct arena *a)
{
    struct request *req = fake_request(a, "GET", "/", "a=1&b=x+y&c=%E5%A6%87%E8%81%94&&d&e=", NULL,
                                       NULL);
    CHECK_INT(http_parse_query(req), 0);
    CHECK_STR(http_query(req, "a"), "1");
    CHECK_STR(http_query(req, "b"), "x y");
    CHECK_STR(http_query(req, "c"), "妇联");
    CHECK_STR(http_query(req, "d"), "");
    CHECK_STR(http_query(req, "e"), "");
    CHECK(http_query(req, "f") == NULL);

    const char *bad[] = {"a=%", "a=%4", "a=%zz", "a=%00", "a=%ff", "%C0%AF=1", "a=%ED%A0%80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        req = fake_request(a, "GET", "/", bad[i], NULL, NULL);
        CHECK_INT(http_parse_query(req), 400);
        CHECK_STR(error_field(req, "code"), "invalid_query");
    }

    char *long_query = arena_alloc(a, MAX_QUERY + 2);
    memset(long_query, 'a', MAX_QUERY + 1);
    long_query[MAX_QUERY + 1] = '\0';
    req = fake_request(a, "GET", "/", long_query, NULL, NULL);
    CHECK_INT(http_parse_query(req), 414);

    long n;
    req = fake_request(a, "GET", "/", "limit=20&bad=2x&big=9999999999999999999999", NULL, NULL);
    CHECK_INT(http_parse_query(req), 0);
    CHECK_INT(http_query_int(req, "limit", 1, 500, 50, &n), 0);
    CHECK_INT(n, 20);
    CHECK_INT(http_query_int(req, "absent", 1, 500, 50, &n), 0);
    CHECK_INT(n, 50);
    CHECK_INT(http_query_int(req, "bad", 1, 500, 50, &n), 400);
    CHECK_STR(error_field(req, "field"), "bad");
    CHECK_INT(http_query_int(req, "big", 1, 500, 50, &n), 400);
    CHECK_INT(http_query_int(req, "limit", 1, 10, 5, &n), 400);
}

static void test_body(struct arena *a)
{
    struct request *req = fake_request(a, "POST", "/", NULL, "application/json; charset=utf-8",
                                       "{\"name\": \"王芳\"}");
    CHECK_INT(http_read_json_body(req), 0);
    CHECK_STR(json_string_value(json_object_get(req->json, "name")), "王芳");

    req = fake_request(a, "POST", "/", NULL, "application/json", "{\"a\": 1,\n \"b\": tru}");
    CHECK_INT(http_read_json_body(req), 400);
    CHECK_STR(error_field(req, "code"), "invalid_json");
    CHECK(strstr(error_field(req, "message"), "line 2") != NULL);

    req = fake_request(a, "POST", "/", NULL, "application/json", "{\"a\": \"\xe5\xa6\"}");
    CHECK_INT(http_read_json_body(req), 400);
    CHECK_STR(error_field(req, "code"), "invalid_utf8");

    req = fake_request(a, "POST", "/", NULL, "application/json", "{\"a\": 1, \"a\": 2}");
    CHECK_INT(http_read_json_body(req), 400);

    req = fake_request(a, "POST", "/", NULL, "application/json", "{}");
    req->content_length = 10; /* the client promised more than it sent */
    CHECK_INT(http_read_json_body(req), 400);
    CHECK_STR(error_field(req, "code"), "incomplete_body");

    req = fake_request(a, "POST", "/", NULL, "application/jsonp", "{}");
    CHECK_INT(http_read_json_body(req), 415);
    req = fake_request(a, "POST", "/", NULL, NULL, NULL);
    CHECK_INT(http_read_json_body(req), 0);
    CHECK(req->json == NULL);
}

static void test_render(struct arena *a)
{
    struct request *req = fake_request(a, "GET", "/", NULL, NULL, NULL);
    http_header(req, "Allow", "GET");
    http_error(req, 405, NULL, "code", "a </script> \"quoted\"");
    size_t len;
    char *out = http_render(req, &len);
    CHECK(strncmp(out, "Status: 405 Method Not Allowed\r\n", 32) == 0);
    CHECK(strstr(out, "\r\nAllow: GET\r\n") != NULL);
    CHECK(strstr(out, "\r\nX-Request-Id: test-request\r\n") != NULL);
    CHECK(strstr(out, "application/json; charset=utf-8") != NULL);
    /* Slashes are escaped, so JSON can never close a script element it lands in. */
    CHECK(strstr(out, "<\\/script> \\\"quoted\\\"") != NULL);
    json_t *parsed = json_loads(strstr(out, "\r\n\r\n") + 4, 0, NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(parsed, "error"), "field")),
              "code");
    CHECK_STR(json_string_value(json_object_get(json_object_get(parsed, "error"), "code")),
              "method_not_allowed");
    json_decref(parsed);
    CHECK_INT(strlen(out), len);
}

static void test_utf8_and_codes(void)
{
    CHECK(utf8_valid("妇联 ok", strlen("妇联 ok")));
    CHECK(!utf8_valid("\xc0\xaf", 2));         /* overlong */
    CHECK(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* over U+10FFFF */
    CHECK(!utf8_valid("\xe5\xa6", 2));         /* truncated */
    CHECK(!utf8_valid("a\0b", 3));
    CHECK_INT(utf8_length("妇联ab", strlen("妇联ab")), 4);

    CHECK_INT(region_level_of("21"), LEVEL_PROVINCE);
    CHECK_INT(region_level_of("2101"), LEVEL_CITY);
    CHECK_INT(region_level_of("210102"), LEVEL_COUNTY);
    CHECK_INT(region_level_of("210102001"), LEVEL_TOWNSHIP);
    CHECK_INT(region_level_of("210102001002"), LEVEL_VILLAGE);
    const char *bad[] = {"", "2", "210", "21010", "2101020011", "21a", "-21", "21 ",
                         "2101020010021"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(region_level_of(bad[i]), LEVEL_NONE);
    CHECK(region_within("210102001", "2101"));
    CHECK(region_within("2101", "2101"));
    CHECK(!region_within("2102", "2101"));
    CHECK(!region_within("21", "2101"));
}

int main(void)
{
    struct arena *a = arena_new();
    test_query(a);
    test_body(a);
    test_render(a);
    arena_free(a);
    test_utf8_and_codes();
    return check_report();
}
