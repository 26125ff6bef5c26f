/* The OpenAPI document and the route table describe the same API: every route is documented and
 * every documented operation has a route. */
#include <ctype.h>

#include "check.h"
#include "router.h"

/* "/api/v1/regions/{code}" in the table is "/regions/{code}" under the document's server. */
static const char *documented_path(const char *pattern)
{
    static const char base[] = "/api/v1";
    return strncmp(pattern, base, sizeof base - 1) == 0 ? pattern + sizeof base - 1 : pattern;
}

static void lower(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i < cap - 1; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

int main(void)
{
    json_error_t error;
    json_t *doc = json_load_file("../../fcgi/openapi.json", 0, &error);
    if (!doc) {
        fprintf(stderr, "fcgi/openapi.json: line %d: %s\n", error.line, error.text);
        return 1;
    }
    CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_t *paths = json_object_get(doc, "paths");

    for (int i = 0; i < route_count; i++) {
        char method[16];
        lower(method, routes[i].method, sizeof method);
        json_t *op = json_object_get(json_object_get(paths, documented_path(routes[i].pattern)),
                                     method);
        if (!op)
            fprintf(stderr, "route %s %s is missing from fcgi/openapi.json\n", routes[i].method,
                    routes[i].pattern);
        CHECK(op != NULL);
    }

    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item) {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op) {
            bool found = false;
            for (int i = 0; i < route_count && !found; i++) {
                char m[16];
                lower(m, routes[i].method, sizeof m);
                found = strcmp(m, method) == 0 &&
                        strcmp(documented_path(routes[i].pattern), path) == 0;
            }
            if (!found)
                fprintf(stderr, "fcgi/openapi.json documents %s %s, which no route serves\n",
                        method, path);
            CHECK(found);
        }
    }
    json_decref(doc);
    return check_report();
}
