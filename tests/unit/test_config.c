/* The settings file: defaults, good values, and refusals that name file, line and key. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

/* Writes text to a temporary file and loads it; returns config_load's result. */
static int load(struct config *cfg, const char *text, char *err, size_t errlen)
{
    char path[] = "/tmp/jiceng-config-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return -2;
    close(fd);
    config_defaults(cfg);
    int rc = config_load(cfg, path, err, errlen);
    if (rc != 0) {
        /* The message starts with the file's path; keep only what follows for the checks. */
        size_t n = strlen(path);
        CHECK(strncmp(err, path, n) == 0);
        memmove(err, err + n, strlen(err + n) + 1);
    }
    unlink(path);
    return rc;
}

int main(void)
{
    struct config cfg;
    char err[512];

    config_defaults(&cfg);
    CHECK_INT(cfg.workers, 8);
    CHECK_INT(cfg.socket_mode, 0660);
    CHECK_STR(cfg.db_name, "jiceng");
    config_free(&cfg);

    CHECK_INT(load(&cfg,
                   "; a comment\n[server]\nlisten = 127.0.0.1:9000\nworkers = 4\n"
                   "socket_mode = 600\n[database]\nsocket = /run/db.sock\npassword = p=w;x\n"
                   "[directory]\nuri = ldap://a/ ldap://b/\n",
                   err, sizeof err),
              0);
    CHECK_STR(cfg.listen, "127.0.0.1:9000");
    CHECK_INT(cfg.workers, 4);
    CHECK_INT(cfg.socket_mode, 0600);
    CHECK_STR(cfg.db_socket, "/run/db.sock");
    CHECK_STR(cfg.ldap_uri, "ldap://a/ ldap://b/");
    CHECK_STR(cfg.db_host, "127.0.0.1"); /* untouched default */
    config_free(&cfg);

    /* A repeated list key extends the list, so long lists need no long lines. */
    CHECK_INT(load(&cfg,
                   "[roles]\nviewer = cn=妇联查看,ou=groups,dc=x\nviewer = readers\n"
                   "[directory]\nstarttls = true\n",
                   err, sizeof err),
              0);
    CHECK_STR(cfg.roles_viewer, "cn=妇联查看,ou=groups,dc=x|readers");
    CHECK_INT(cfg.ldap_starttls, 1);
    config_free(&cfg);
    CHECK_INT(load(&cfg, "[directory]\nstarttls = maybe\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: [directory] starttls: expected true or false");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[server]\nworkers = 0\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: [server] workers = 0: out of range (1 to 256)");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[server]\n\nworkers = many\n", err, sizeof err), -1);
    CHECK_STR(err, ":3: [server] workers = many: expected a whole number (1 to 256)");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[server]\nworkerz = 4\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: [server] workerz: unknown setting");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[databse]\nport = 3306\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: [databse] port: unknown setting");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[server]\nsocket_mode = 9\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: [server] socket_mode = 9: expected an octal number (octal, 0 to 777)");
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[server]\nthis line has no equals sign\n", err, sizeof err), -1);
    CHECK_STR(err, ":2: not a setting, section or comment");
    config_free(&cfg);

    config_defaults(&cfg);
    CHECK_INT(config_load(&cfg, "/nonexistent/jiceng.ini", err, sizeof err), -1);
    CHECK(strstr(err, "/nonexistent/jiceng.ini: cannot open") == err);
    config_free(&cfg);

    return check_report();
}
