/* The guards before every handler: what counts as a cross-site request, and which cookies are
 * taken for session tokens. (Sessions themselves are tested against MariaDB in
 * tests/integration/sessions.sh.) */
#include "check.h"
#include "config.h"
#include "fake_request.h"
#include "guard.h"
#include "session.h"

static const char *error_code(struct request *req)
{
    return json_string_value(json_object_get(json_object_get(req->body, "error"), "code"));
}

static struct request *post(struct arena *a, const struct config *cfg)
{
    struct request *req = fake_request(a, "POST", "/api/v1/session", NULL, NULL, NULL);
    req->cfg = cfg;
    req->host = "jiceng.example"; /* nginx passes $host, without the port */
    req->port = "8080";
    req->scheme = "https";
    return req;
}

static void test_csrf(const struct config *cfg)
{
    struct arena *a = arena_new();
    struct request *req = post(a, cfg);
    CHECK_INT(guard_csrf(req), 0);

    req = post(a, cfg);
    req->requested_with = "";
    CHECK_INT(guard_csrf(req), 403); /* what a plain cross-site form sends */
    CHECK_STR(error_code(req), "csrf_refused");

    req = post(a, cfg);
    req->origin = "https://jiceng.example:8080";
    CHECK_INT(guard_csrf(req), 0);
    req = post(a, cfg);
    req->origin = "https://evil.example";
    CHECK_INT(guard_csrf(req), 403);
    req = post(a, cfg);
    req->origin = "http://jiceng.example:8080"; /* same host, other scheme: another origin */
    CHECK_INT(guard_csrf(req), 403);
    req = post(a, cfg);
    req->fetch_site = "cross-site";
    CHECK_INT(guard_csrf(req), 403);
    req = post(a, cfg);
    req->fetch_site = "same-origin";
    CHECK_INT(guard_csrf(req), 0);

    /* Reading changes nothing and needs no proof. */
    req = post(a, cfg);
    req->port = "443"; /* the default port of the scheme is not written */
    req->origin = "https://jiceng.example";
    CHECK_INT(guard_csrf(req), 0);
    req = post(a, cfg);
    req->origin = "https://jiceng.example"; /* ... and another port is another origin */
    CHECK_INT(guard_csrf(req), 403);

    req = fake_request(a, "GET", "/api/v1/me", NULL, NULL, NULL);
    req->cfg = cfg;
    req->requested_with = "";
    req->origin = "https://evil.example";
    CHECK_INT(guard_csrf(req), 0);
    arena_free(a);
}

static void test_configured_origin(struct config *cfg)
{
    struct arena *a = arena_new();
    char *saved = cfg->session_origin, origin[] = "https://jiceng.gov.example";
    cfg->session_origin = origin;
    struct request *req = post(a, cfg);
    req->origin = "https://jiceng.gov.example";
    CHECK_INT(guard_csrf(req), 0);
    req = post(a, cfg);
    req->origin = "https://jiceng.example:8080"; /* the Host header is not trusted then */
    CHECK_INT(guard_csrf(req), 403);
    cfg->session_origin = saved;
    arena_free(a);
}

static void test_cookie(void)
{
    struct arena *a = arena_new();
    const char *token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234";
    char header[256];
    snprintf(header, sizeof header, "theme=dark; jiceng_session=%s; other=1", token);
    CHECK_STR(session_token_from_cookie(a, header, "jiceng_session"), token);
    snprintf(header, sizeof header, "jiceng_session=%s", token);
    CHECK_STR(session_token_from_cookie(a, header, "jiceng_session"), token);
    /* A cookie whose name only ends like ours is someone else's. */
    snprintf(header, sizeof header, "xjiceng_session=%s", token);
    CHECK(session_token_from_cookie(a, header, "jiceng_session") == NULL);
    /* Wrong length or alphabet never reaches the database. */
    CHECK(session_token_from_cookie(a, "jiceng_session=short", "jiceng_session") == NULL);
    CHECK(session_token_from_cookie(a, "jiceng_session=abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'_01234",
                                    "jiceng_session") == NULL);
    CHECK(session_token_from_cookie(a, "", "jiceng_session") == NULL);
    /* A junk cookie of the same name before a good one does not hide it. */
    snprintf(header, sizeof header, "jiceng_session=junk; jiceng_session=%s", token);
    CHECK_STR(session_token_from_cookie(a, header, "jiceng_session"), token);
    arena_free(a);
}

int main(void)
{
    struct config cfg;
    config_defaults(&cfg);
    test_csrf(&cfg);
    test_configured_origin(&cfg);
    test_cookie();
    config_free(&cfg);
    return check_report();
}
