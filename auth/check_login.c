/* The check-login command: a login or refresh from the command line, with timings. */
#include "check_login.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "directory.h"
#include "roles.h"

static void print_result(FILE *out, enum auth_result r, const struct identity *who)
{
    fprintf(out, "result: %s\n", auth_result_name(r));
    if (r != AUTH_OK) {
        fprintf(out, "message: %s\n", auth_result_message(r));
        return;
    }
    char roles[64];
    roles_format(who->roles, roles, sizeof roles);
    if (who->username[0])
        fprintf(out, "username: %s\n", who->username);
    fprintf(out, "dn: %s\ndisplay_name: %s\nregion: %s\nlevel: %s\nroles: %s\n", who->dn,
            who->display_name, who->region, region_level_name(who->level), roles);
}

/* A session's refresh right after the login must see the same identity. */
static void print_refresh(FILE *out, struct directory *d, struct arena *a,
                          const struct identity *who)
{
    struct identity again;
    enum auth_result r = directory_refresh(d, a, who->dn, &again);
    bool same = r == AUTH_OK && strcmp(again.display_name, who->display_name) == 0 &&
                strcmp(again.region, who->region) == 0 && again.roles == who->roles;
    fprintf(out, "refresh: %s\n", r != AUTH_OK ? auth_result_name(r) : same ? "ok" : "differs");
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* One attempt, repeat times on the kept connections; prints the last answer and the times. */
static enum auth_result attempt(FILE *out, struct directory *d, struct arena *a,
                                const char *username, const char *password, int repeat)
{
    double *ms = calloc((size_t)repeat, sizeof *ms);
    if (!ms)
        out_of_memory();
    enum auth_result r = AUTH_ERROR;
    struct identity who;
    for (int i = 0; i < repeat; i++) {
        arena_reset(a);
        double start = now_ms();
        r = directory_login(d, a, username, password, &who);
        ms[i] = now_ms() - start;
    }
    print_result(out, r, &who);
    if (r == AUTH_OK)
        print_refresh(out, d, a, &who);
    if (repeat > 1) {
        qsort(ms, (size_t)repeat, sizeof *ms, by_value);
        fprintf(out, "timing: %d logins, p50 %.3f ms, p90 %.3f ms, max %.3f ms\n", repeat,
                ms[repeat / 2], ms[repeat * 9 / 10], ms[repeat - 1]);
    }
    free(ms);
    arena_reset(a);
    return r;
}

/* Reads one line without its line end; asks without echo on a terminal. NULL at the end. */
static char *read_password(FILE *in, char **line, size_t *cap)
{
    struct termios saved, quiet;
    bool tty = isatty(fileno(in)) && tcgetattr(fileno(in), &saved) == 0;
    if (tty) {
        fputs("password: ", stderr);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(in), TCSAFLUSH, &quiet);
    }
    ssize_t n = getline(line, cap, in);
    if (tty) {
        tcsetattr(fileno(in), TCSAFLUSH, &saved);
        fputs("\n", stderr);
    }
    if (n < 0)
        return NULL;
    (*line)[strcspn(*line, "\r\n")] = '\0';
    return *line;
}

int check_login(const struct config *cfg, const char *name, int repeat, bool refresh, FILE *in,
                FILE *out)
{
    char err[1024];
    if (directory_check_config(cfg, err, sizeof err) != 0) {
        fprintf(stderr, "jiceng check-login: %s\n", err);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* libldap writes to sockets a server may have closed */
    struct directory *d = directory_new(cfg);
    struct arena *a = arena_new();
    int attempts = 0, refused = 0;
    if (refresh) {
        struct identity who;
        enum auth_result r = directory_refresh(d, a, name, &who);
        print_result(out, r, &who);
        attempts = 1;
        refused = r != AUTH_OK;
    } else {
        char *line = NULL, *password;
        size_t cap = 0;
        while ((password = read_password(in, &line, &cap)) != NULL) {
            refused += attempt(out, d, a, name, password, repeat > 0 ? repeat : 1) != AUTH_OK;
            attempts++;
            fflush(out);
            if (isatty(fileno(in))) /* a person typed one password */
                break;
        }
        if (line)
            explicit_bzero(line, cap);
        free(line);
    }
    arena_free(a);
    directory_free(d);
    if (attempts == 0)
        fprintf(stderr, "jiceng check-login: no password on standard input\n");
    return attempts == 0 ? 2 : refused ? 1 : 0;
}
