/* The FastCGI server: one listening socket, a fixed pool of threads, each with its own request
 * arena and database connection, taking requests from the connections nginx opens
 * (fcgi/connections.h), and a main thread that waits for the signal to stop. */
#include "server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <mysql.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "connections.h"
#include "db.h"
#include "directory.h"
#include "fastcgi_answer.h"
#include "health.h"
#include "http.h"
#include "json_memory.h"
#include "log.h"
#include "migrate.h"
#include "router.h"
#include "session_cache.h"

struct worker {
    pthread_t thread;
    struct connections *connections;
    const struct config *cfg;
    struct db *db;
    struct directory *directory;
    struct arena *arena;
    FCGX_Request fcgi;
};

/* A parameter the request context keeps: its name and where it goes. */
struct param {
    const char *name;
    size_t len;
    const char **field;
};
#define PARAM(name, field) {name, sizeof name - 1, field}

/* Sets each field of params to its parameter's value in envp ("NAME=value" strings): the first
 * one, as FCGX_GetParam does, or "" when nginx sent none. One pass over what nginx sent, where
 * FCGX_GetParam scanned all of it for each name. */
static void read_params(char **envp, struct param *params, size_t count)
{
    for (size_t i = 0; i < count; i++)
        *params[i].field = NULL;
    for (char **e = envp; *e; e++) {
        const char *eq = strchr(*e, '=');
        size_t len = eq ? (size_t)(eq - *e) : 0;
        for (size_t i = 0; eq && i < count; i++)
            if (params[i].len == len && !*params[i].field && memcmp(params[i].name, *e, len) == 0)
                *params[i].field = eq + 1;
    }
    for (size_t i = 0; i < count; i++)
        if (!*params[i].field)
            *params[i].field = "";
}

static ssize_t read_fcgi_body(struct request *req, char *buf, size_t len)
{
    FCGX_Request *fcgi = req->io;
    int n = FCGX_GetStr(buf, len > INT32_MAX ? INT32_MAX : (int)len, fcgi->in);
    return n > 0 ? n : (FCGX_HasSeenEOF(fcgi->in) == EOF ? 0 : -1);
}

static int write_fcgi(struct request *req, const char *data, size_t len)
{
    FCGX_Request *fcgi = req->io;
    while (len > 0) {
        int chunk = len > INT32_MAX ? INT32_MAX : (int)len;
        if (FCGX_PutStr(data, chunk, fcgi->out) != chunk)
            return -1;
        data += chunk;
        len -= (size_t)chunk;
    }
    return 0;
}

static int flush_fcgi(struct request *req)
{
    FCGX_Request *fcgi = req->io;
    return FCGX_FFlush(fcgi->out) == 0 ? 0 : -1;
}

/* Fills a request context from what nginx passed, made fresh for every request. nginx passes
 * these parameters and no others (nginx/jiceng-site.conf): a new one is added in both places. */
static struct request *request_new(struct worker *w, const struct config *cfg)
{
    struct request *req = arena_zalloc(w->arena, sizeof *req);
    FCGX_Request *fcgi = &w->fcgi;
    req->arena = w->arena;
    req->db = w->db;
    req->directory = w->directory;
    req->cfg = cfg;
    const char *length;
    struct param params[] = {
        PARAM("REQUEST_METHOD", &req->method),
        PARAM("DOCUMENT_URI", &req->path),
        PARAM("QUERY_STRING", &req->query),
        PARAM("CONTENT_TYPE", &req->content_type),
        PARAM("CONTENT_LENGTH", &length),
        PARAM("REMOTE_ADDR", &req->remote_addr),
        PARAM("REQUEST_ID", &req->request_id),
        PARAM("HTTP_COOKIE", &req->cookie),
        PARAM("HTTP_ORIGIN", &req->origin),
        PARAM("HTTP_HOST", &req->host),
        PARAM("SERVER_PORT", &req->port),
        PARAM("REQUEST_SCHEME", &req->scheme),
        PARAM("HTTP_SEC_FETCH_SITE", &req->fetch_site),
        PARAM("HTTP_X_REQUESTED_WITH", &req->requested_with),
        PARAM("HTTP_USER_AGENT", &req->user_agent),
    };
    read_params(fcgi->envp, params, sizeof params / sizeof params[0]);
    req->content_length = length[0] ? strtoll(length, NULL, 10) : -1;
    req->read_body = read_fcgi_body;
    req->write = write_fcgi;
    req->flush = flush_fcgi;
    req->io = fcgi;
    req->status = 500;
    return req;
}

static double millis_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void handle(struct worker *w)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct request *req = request_new(w, w->cfg);
    /* Reads build the large answers (list pages); a change keeps its JSON on the heap, where
     * what json_dumps returns for the audit log may go to free(). */
    if (strcmp(req->method, "GET") == 0)
        json_memory_use_arena(w->arena);
    int status = router_dispatch(req, routes, route_count);
    /* A streamed answer is out already; a handler that forgot to answer is a bug: never send
     * an empty 200. */
    if (req->streamed) {
        status = req->status;
    } else {
        if (!req->body && !req->body_text && !(status == 204 && req->status == 204))
            status = http_error(req, 500, NULL, NULL, "the request could not be completed");
        size_t len;
        char *out = http_render(req, &len);
        fastcgi_answer(w->arena, &w->fcgi, out, len);
    }
    access_log_write(req->request_id, req->remote_addr, req->method, req->path, status,
                     millis_since(&start));
    arena_reset(w->arena);
    json_memory_use_arena(NULL);
}

/* Whether everything nginx sent for this request has been read. A request without a body has
 * only the empty end of its input left, which is already in libfcgi's buffer. */
static bool input_consumed(FCGX_Request *fcgi)
{
    if (FCGX_HasSeenEOF(fcgi->in))
        return true;
    return FCGX_GetChar(fcgi->in) == EOF && FCGX_HasSeenEOF(fcgi->in);
}

/* Ends the request; true when nginx keeps its connection and it stays open. It is closed when
 * its input was not read to the end (what is left would be read as the next request). libfcgi
 * closes by shutting down its side and waiting for nginx to close first, so that unread input
 * does not turn the close into a reset that would cost nginx the answer; with nothing unread
 * that wait is only a sleep and a wake-up more, and a detached request's connection is closed
 * at once. */
static bool finish(FCGX_Request *fcgi)
{
    if (!input_consumed(fcgi))
        fcgi->keepConnection = 0;
    else if (!fcgi->keepConnection)
        FCGX_Detach(fcgi);
    FCGX_Finish_r(fcgi);
    if (fcgi->ipcFd < 0)
        return false; /* closed, also on any error */
    fcgi->ipcFd = -1;
    return true;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    mysql_thread_init();
    struct connection *conn;
    while ((conn = connections_next(w->connections)) != NULL) {
        /* libfcgi reads the request from the connection as from one it kept itself. When nginx
         * closed it, or it does not speak FastCGI, libfcgi closes it and fails: its own accept
         * then fails at once on the listening socket it was not given (-1). */
        w->fcgi.ipcFd = conn->fd;
        w->fcgi.keepConnection = 1;
        if (FCGX_Accept_r(&w->fcgi) < 0) {
            if (w->fcgi.ipcFd >= 0)
                close(w->fcgi.ipcFd);
            w->fcgi.ipcFd = -1;
            connections_drop(conn);
            continue;
        }
        handle(w);
        if (finish(&w->fcgi))
            connections_keep(w->connections, conn);
        else
            connections_drop(conn);
    }
    FCGX_Free(&w->fcgi, 1);
    session_cache_clear();
    mysql_thread_end();
    return NULL;
}

/* Opens the FastCGI socket; a stale socket file left by a crash is replaced. */
static int open_listener(const struct config *cfg)
{
    bool unix_socket = cfg->listen[0] == '/';
    struct stat st;
    if (unix_socket && stat(cfg->listen, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(cfg->listen);
    int fd = FCGX_OpenSocket(cfg->listen, 1024);
    if (fd < 0) {
        log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
        return -1;
    }
    if (unix_socket && chmod(cfg->listen, (mode_t)cfg->socket_mode) != 0)
        log_warn("cannot set the mode of %s: %s", cfg->listen, strerror(errno));
    return fd;
}

/* Blocks the stop signals in every thread; the main thread takes them with sigwait. This also
 * overrides the handlers FCGX_Init installs, which would otherwise swallow SIGTERM. */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int check_schema(const struct config *cfg)
{
    struct db *db = db_new(cfg, DB_APPLICATION);
    int version = 0, rc = migrate_current_version(db, &version);
    db_free(db);
    if (rc == DB_OK && version > migrate_known_version()) {
        log_error("the database schema is version %d, newer than this program knows (%d)",
                  version, migrate_known_version());
        return -1;
    }
    if (rc == DB_OK && version < migrate_known_version())
        log_warn("the database schema is version %d; run `jiceng migrate` for %d", version,
                 migrate_known_version());
    return 0; /* a database that is down now may be up later: serve 503 until then */
}

static void stop_workers(struct worker *workers, int count, struct connections *connections)
{
    /* Wakes every thread waiting for a request; threads in a request finish it first. */
    connections_stop(connections);
    for (int i = 0; i < count; i++) {
        pthread_join(workers[i].thread, NULL);
        db_free(workers[i].db);
        directory_free(workers[i].directory);
        arena_free(workers[i].arena);
    }
}

int server_run(const struct config *cfg)
{
    if (access_log_open(cfg->access_log) != 0) {
        log_error("cannot open the access log %s: %s", cfg->access_log, strerror(errno));
        return 1;
    }
    char err[512];
    if (directory_check_config(cfg, err, sizeof err) != 0) {
        log_error("%s: %s", cfg->path, err);
        return 1;
    }
    if (FCGX_Init() != 0 || check_schema(cfg) != 0)
        return 1;
    int listen_fd = open_listener(cfg);
    if (listen_fd < 0)
        return 1;
    struct connections *connections = connections_open(listen_fd);
    if (!connections) {
        log_error("cannot watch %s: %s", cfg->listen, strerror(errno));
        return 1;
    }
    sigset_t stop_set;
    block_stop_signals(&stop_set);
    if (health_start(cfg) != 0)
        return 1;

    struct worker *workers = calloc((size_t)cfg->workers, sizeof *workers);
    if (!workers)
        out_of_memory();
    int started = 0;
    for (; started < cfg->workers; started++) {
        struct worker *w = &workers[started];
        w->connections = connections;
        w->cfg = cfg;
        w->db = db_new(cfg, DB_APPLICATION);
        w->directory = directory_new(cfg);
        w->arena = arena_new();
        FCGX_InitRequest(&w->fcgi, -1, 0); /* connections come from connections_next */
        if (pthread_create(&w->thread, NULL, work, w) != 0) {
            db_free(w->db);
            directory_free(w->directory);
            arena_free(w->arena);
            break;
        }
    }
    log_info("jiceng %s serving on %s with %d workers", JICENG_VERSION, cfg->listen, started);

    int sig = 0;
    sigwait(&stop_set, &sig);
    log_info("signal %d: finishing the requests in flight", sig);
    stop_workers(workers, started, connections);
    connections_close(connections);
    health_stop();
    free(workers);
    close(listen_fd);
    if (cfg->listen[0] == '/')
        unlink(cfg->listen);
    log_info("stopped");
    return started == cfg->workers ? 0 : 1;
}
