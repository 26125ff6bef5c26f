/* The router: matching, path parameters, 404, 405 with Allow, and the checks before handlers. */
#include "check.h"
#include "fake_request.h"
#include "http.h"
#include "router.h"

static int echo(struct request *req)
{
    json_t *params = json_object();
    for (int i = 0; i < req->path_param_count; i++)
        json_object_set_new(params, req->path_params[i].name,
                            json_string(req->path_params[i].value));
    return http_json(req, 200, params);
}

static int created(struct request *req)
{
    return http_json(req, 201, json_incref(req->json ? req->json : json_null()));
}

static const struct route table[] = {
    {"GET", "/api/v1/things", echo, ACCESS_PUBLIC},
    {"POST", "/api/v1/things", created, ACCESS_PUBLIC},
    {"GET", "/api/v1/things/{id}", echo, ACCESS_PUBLIC},
    {"DELETE", "/api/v1/things/{id}", echo, ACCESS_PUBLIC},
    {"GET", "/api/v1/things/{id}/parts/{part}", echo, ACCESS_PUBLIC},
    /* An upload route of fcgi/routes.c: its body is a file, not JSON. */
    {"POST", "/api/v1/imports/cadres", created, ACCESS_PUBLIC},
};
enum { COUNT = sizeof table / sizeof table[0] };

static const char *error_code(struct request *req)
{
    return json_string_value(json_object_get(json_object_get(req->body, "error"), "code"));
}

static const char *header(struct request *req, const char *name)
{
    for (int i = 0; i < req->header_count; i++)
        if (strcmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

static int dispatch(struct arena *a, const char *method, const char *path, struct request **out)
{
    *out = fake_request(a, method, path, NULL, NULL, NULL);
    return router_dispatch(*out, table, COUNT);
}

int main(void)
{
    struct arena *a = arena_new();
    struct request *req;

    CHECK_INT(dispatch(a, "GET", "/api/v1/things", &req), 200);
    CHECK_INT(dispatch(a, "GET", "/api/v1/things/42", &req), 200);
    CHECK_STR(json_string_value(json_object_get(req->body, "id")), "42");
    CHECK_INT(dispatch(a, "GET", "/api/v1/things/7/parts/x%y", &req), 200);
    CHECK_STR(json_string_value(json_object_get(req->body, "part")), "x%y");
    arena_reset(a);

    /* Unknown paths, including near misses, are 404 with a JSON error. */
    const char *unknown[] = {"/api/v1/thing", "/api/v1/things/", "/api/v1/things//parts/1",
                             "/api/v1/things/1/parts", "/", "", "/api/v1/things/1/parts/2/3"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK_INT(dispatch(a, "GET", unknown[i], &req), 404);
        CHECK_STR(error_code(req), "not_found");
        CHECK_STR(json_string_value(json_object_get(json_object_get(req->body, "error"),
                                                    "request_id")),
                  "test-request");
    }
    arena_reset(a);

    /* A known path with another method is 405 and says what is allowed. */
    CHECK_INT(dispatch(a, "PUT", "/api/v1/things/1", &req), 405);
    CHECK_STR(error_code(req), "method_not_allowed");
    CHECK_STR(header(req, "Allow"), "GET, DELETE");
    CHECK_INT(dispatch(a, "DELETE", "/api/v1/things", &req), 405);
    CHECK_STR(header(req, "Allow"), "GET, POST");
    arena_reset(a);

    /* Bodies are checked before the handler runs. */
    req = fake_request(a, "POST", "/api/v1/things", NULL, "application/json", "{\"a\": 1}");
    CHECK_INT(router_dispatch(req, table, COUNT), 201);
    CHECK_INT(json_integer_value(json_object_get(req->body, "a")), 1);
    req = fake_request(a, "POST", "/api/v1/things", NULL, "text/plain", "{}");
    CHECK_INT(router_dispatch(req, table, COUNT), 415);
    req = fake_request(a, "POST", "/api/v1/things", NULL, "application/json", "{\"a\": }");
    CHECK_INT(router_dispatch(req, table, COUNT), 400);
    CHECK_STR(error_code(req), "invalid_json");
    req = fake_request(a, "POST", "/api/v1/things", NULL, "application/json", "x");
    req->content_length = MAX_BODY + 1;
    CHECK_INT(router_dispatch(req, table, COUNT), 413);
    /* ...even on a route that would not read it. */
    req = fake_request(a, "GET", "/api/v1/nothing", NULL, "application/json", "x");
    req->content_length = 50 * 1024 * 1024;
    CHECK_INT(router_dispatch(req, table, COUNT), 413);
    /* An upload route takes up to [import] max_file_mib, and its body is not read as JSON. */
    req = fake_request(a, "POST", "/api/v1/imports/cadres", NULL, "text/csv", "a,b");
    req->content_length = 5 * 1024 * 1024;
    CHECK_INT(router_dispatch(req, table, COUNT), 201);
    req = fake_request(a, "POST", "/api/v1/imports/cadres", NULL, "text/csv", "a,b");
    req->content_length = 100 * 1024 * 1024;
    CHECK_INT(router_dispatch(req, table, COUNT), 413);
    CHECK_STR(json_string_value(json_object_get(json_object_get(req->body, "error"), "message")),
              "the file is larger than 20 MiB, the limit for imports");
    req = fake_request(a, "POST", "/api/v1/things", NULL, "application/json", "x");
    req->content_length = 5 * 1024 * 1024;
    CHECK_INT(router_dispatch(req, table, COUNT), 413);
    req = fake_request(a, "GET", "/api/v1/things/\xff", NULL, NULL, NULL);
    CHECK_INT(router_dispatch(req, table, COUNT), 400);
    CHECK_STR(error_code(req), "invalid_utf8");
    req = fake_request(a, "GET", "/api/v1/things", "limit=%zz", NULL, NULL);
    CHECK_INT(router_dispatch(req, table, COUNT), 400);
    CHECK_STR(error_code(req), "invalid_query");

    arena_free(a);
    return check_report();
}
