/* Building responses and decoding request input: the only place JSON and errors are shaped. */
#ifndef JICENG_HTTP_H
#define JICENG_HTTP_H

#include <stdarg.h>

#include "request.h"

struct db_stmt;
struct json_out;

/* Sets a JSON response. Steals body (freed with the request). Returns status. */
int http_json(struct request *req, int status, json_t *body);

/* Sets a JSON response already written as text (fcgi/json_out.h), for large pages: the text
 * stays in the arena. An error set afterwards (http_error) replaces it. Returns status. */
int http_json_text(struct request *req, int status, struct json_out *body);

/* Answers with a body that is not JSON, data[0..len) as content_type, sent at once (it is
 * streamed: nothing may change the answer afterwards). Returns status. */
int http_raw(struct request *req, int status, const char *content_type, const char *data,
             size_t len);

/* Sets an empty 204 response: no body, no Content-Type. Returns 204. */
int http_no_content(struct request *req);

/* Sets the error response {"error": {"code", "message", "field", "request_id"}}. field may be
 * NULL. Returns status, so handlers can write `return http_error(...)`. */
int http_error(struct request *req, int status, const char *code, const char *field,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The error for a failed database call (see db.h): 503 when the server is down, 409 for a
 * duplicate or a conflict, otherwise 500; the detail goes to the log, not to the client. */
int http_db_error(struct request *req, int db_result);

/* Runs st, a page of a list bound with LIMIT limit + 1 whose rows carry their id, the keyset,
 * in column 0, and answers {"items": [item(row), ...], "next_cursor": the last id as a string,
 * or null when no row followed the page}. Returns the status. */
int http_id_page(struct request *req, struct db_stmt *st, long limit,
                 json_t *(*item)(struct db_stmt *st));

/* Adds a response header. name and value must live as long as the request. */
void http_header(struct request *req, const char *name, const char *value);

/* The short code for a status, such as "not_found" for 404. */
const char *http_status_code(int status);
const char *http_status_text(int status);

/* Decodes the query string into req->query_params. Returns 0, or an error status with the
 * response set: 414 when too long, 400 for a bad escape or invalid UTF-8. */
int http_parse_query(struct request *req);

/* The decoded value of a query parameter, or NULL when absent. */
const char *http_query(const struct request *req, const char *name);

/* A whole-number query parameter within [min, max], or fallback when absent. Returns 0, or 400
 * with the response set. */
int http_query_int(struct request *req, const char *name, long min, long max, long fallback,
                   long *out);

/* The value of a path parameter such as {code}, or NULL. */
const char *http_path_param(const struct request *req, const char *name);

/* Reads and decodes a JSON body into req->json (NULL when there is no body). Returns 0, or an
 * error status with the response set: 413 over MAX_BODY, 415 when not JSON, 400 when malformed
 * (the message names the position) or not UTF-8. */
int http_read_json_body(struct request *req);

/* Reads the whole body of an upload route (see struct route) into arena memory: *data and *len.
 * Returns 0, or an error status with the response set: 413 over limit bytes (before reading
 * any of it), 400 when it is empty or ends early. */
int http_read_upload(struct request *req, long long limit, char **data, size_t *len);

/* Starts a streamed response: writes the status, content_type, the headers added so far and the
 * blank line at once; the body follows with http_stream_write. After this the status cannot
 * change: check what can fail before. Returns 0, or -1 when the client went away. */
int http_stream_begin(struct request *req, int status, const char *content_type);

/* Writes len bytes of a streamed body. Returns 0, or -1 when the client went away. */
int http_stream_write(struct request *req, const char *data, size_t len);

/* Sends what was written so far to the client now rather than when a buffer fills. Returns 0,
 * or -1 when the client went away. */
int http_stream_flush(struct request *req);

/* Renders the response: CGI-style headers, a blank line, the JSON body. Arena memory. */
char *http_render(struct request *req, size_t *len);

#endif
