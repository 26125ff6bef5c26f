/* GET /api/v1/health and the background monitor behind it. */
#include "health.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "directory.h"
#include "handlers.h"
#include "http.h"
#include "json_out.h"
#include "log.h"
#include "migrate.h"

struct status {
    bool database_up, directory_up;
    int schema_version;
    time_t checked_at;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running;
    const struct config *cfg;
    struct db *db;
    struct status status;
} monitor = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* One round of checks. Logs only changes, so an outage is one line, not one a second. */
static void check(void)
{
    struct status now = {.checked_at = time(NULL)};
    char err[512];
    now.database_up = migrate_current_version(monitor.db, &now.schema_version) == DB_OK;
    if (!now.database_up && monitor.status.database_up)
        log_error("health: database down: %s", db_error(monitor.db));
    now.directory_up = directory_ping(monitor.cfg, err, sizeof err) == 0;
    if (!now.directory_up && monitor.status.directory_up)
        log_error("health: %s", err);
    if (now.database_up && !monitor.status.database_up)
        log_info("health: database up, schema version %d", now.schema_version);
    if (now.directory_up && !monitor.status.directory_up)
        log_info("health: directory up");
    pthread_mutex_lock(&monitor.lock);
    monitor.status = now;
    pthread_mutex_unlock(&monitor.lock);
}

static void *run(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&monitor.lock);
    while (monitor.running) {
        struct timespec next;
        clock_gettime(CLOCK_REALTIME, &next);
        next.tv_sec += 1;
        pthread_cond_timedwait(&monitor.wake, &monitor.lock, &next);
        if (!monitor.running)
            break;
        pthread_mutex_unlock(&monitor.lock);
        check();
        pthread_mutex_lock(&monitor.lock);
    }
    pthread_mutex_unlock(&monitor.lock);
    return NULL;
}

int health_start(const struct config *cfg)
{
    monitor.cfg = cfg;
    monitor.db = db_new(cfg, DB_APPLICATION);
    monitor.status.database_up = monitor.status.directory_up = true; /* log the first failure */
    check();
    monitor.running = true;
    if (pthread_create(&monitor.thread, NULL, run, NULL) != 0) {
        monitor.running = false;
        return -1;
    }
    return 0;
}

void health_stop(void)
{
    pthread_mutex_lock(&monitor.lock);
    bool was_running = monitor.running;
    monitor.running = false;
    pthread_cond_signal(&monitor.wake);
    pthread_mutex_unlock(&monitor.lock);
    if (was_running)
        pthread_join(monitor.thread, NULL);
    db_free(monitor.db);
    monitor.db = NULL;
}

int health_get(struct request *req)
{
    pthread_mutex_lock(&monitor.lock);
    struct status s = monitor.status;
    pthread_mutex_unlock(&monitor.lock);

    char checked[32];
    struct tm tm;
    gmtime_r(&s.checked_at, &tm);
    strftime(checked, sizeof checked, "%Y-%m-%dT%H:%M:%SZ", &tm);
    bool schema_current = s.schema_version == migrate_known_version();
    bool ok = s.database_up && s.directory_up && schema_current;
    if (!ok)
        http_header(req, "Retry-After", "5");
    /* Written as text: the answer is small, and the tree json_pack built and json_dumps walked
     * was a noticeable part of the cost of the cheapest request there is. */
    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    json_out_key(&o, "status");
    json_out_str(&o, ok ? "ok" : "unavailable");
    json_out_key(&o, "database");
    json_out_str(&o, s.database_up ? "up" : "down");
    json_out_key(&o, "directory");
    json_out_str(&o, s.directory_up ? "up" : "down");
    json_out_key(&o, "schema_version");
    json_out_int(&o, s.schema_version);
    json_out_key(&o, "schema_expected");
    json_out_int(&o, migrate_known_version());
    json_out_key(&o, "version");
    json_out_str(&o, JICENG_VERSION);
    json_out_key(&o, "checked_at");
    json_out_str(&o, checked);
    json_out_end_object(&o);
    return http_json_text(req, ok ? 200 : 503, &o);
}
