/* The context of one HTTP request: what came in, what goes out, and the arena both live in. */
#ifndef JICENG_REQUEST_H
#define JICENG_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct arena;
struct audit_batch;
struct config;
struct db;
struct directory;
struct session;

enum { MAX_PATH_PARAMS = 4, MAX_HEADERS = 8, MAX_BODY = 1024 * 1024, MAX_QUERY = 4096 };

struct name_value {
    const char *name, *value;
};

struct request {
    struct arena *arena;
    struct db *db;          /* the worker's connection: one per thread */
    struct directory *directory; /* the worker's directory connections */
    const struct config *cfg;

    /* As nginx passed them; never NULL, "" when absent. */
    const char *method, *path, *query, *content_type, *remote_addr, *request_id;
    long long content_length; /* -1 when absent */
    /* Headers the guards read (fcgi/guard.c); never NULL either. */
    const char *cookie, *origin, *host, *port, *scheme, *fetch_site, *requested_with,
        *user_agent;

    /* Reads up to len bytes of the body; returns how many, 0 at the end, -1 on error. */
    ssize_t (*read_body)(struct request *req, char *buf, size_t len);
    void *io;               /* what read_body reads from */

    /* Filled by the router and the decoders. */
    struct name_value path_params[MAX_PATH_PARAMS];
    int path_param_count;
    struct name_value *query_params;
    int query_param_count;
    json_t *json;           /* the decoded body, or NULL; freed with the arena */
    struct session *session; /* the caller's, for every route but public ones */
    /* NULL, or where the audit entries of business changes are collected to be written many
     * at a time (sql/audit.h): an import sets it and flushes it before it commits. */
    struct audit_batch *audit_batch;

    /* The response, written once at the edge. */
    int status;
    json_t *body;
    const char *body_text; /* or the body as JSON text (http_json_text), in the arena */
    size_t body_text_len;
    struct name_value headers[MAX_HEADERS];
    int header_count;

    /* A streamed response (exports) is written while the handler runs, through
     * http_stream_begin and http_stream_write, instead of at the edge. write returns 0, or -1
     * when the client went away. */
    int (*write)(struct request *req, const char *data, size_t len);
    /* Sends what write has buffered now (NULL: nothing to do), for a body whose pieces the
     * client waits for one by one (an import's progress). 0, or -1 as write. */
    int (*flush)(struct request *req);
    bool streamed;
};

/* The signature of every handler: fill the response and return its HTTP status. */
typedef int handler_fn(struct request *req);

#endif
