/* Drawing the progress of command-line jobs; see progress.h. */
#include "progress.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

enum { BAR_WIDTH = 30 };

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(struct progress *pr, FILE *out)
{
    *pr = (struct progress){.out = out, .tty = out && isatty(fileno(out))};
}

void progress_show(struct progress *pr, bool final, const char *fmt, ...)
{
    if (!pr->out || (!final && !pr->tty)) return;
    if (pr->tty) fputs("\r\033[K", pr->out);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(pr->out, fmt, ap);
    va_end(ap);
    if (final) fputc('\n', pr->out);
    pr->open_line = !final;
    fflush(pr->out);
}

void progress_bar(struct progress *pr, const char *what, size_t done, size_t total)
{
    static const char hashes[BAR_WIDTH + 1] = "##############################";
    double t = progress_now();
    if (!pr->out || !pr->tty || (done < total && t - pr->last_draw < 0.1)) return;
    pr->last_draw = t;
    int fill = total ? (int)(done * BAR_WIDTH / total) : BAR_WIDTH;
    int percent = total ? (int)(done * 100 / total) : 100;
    progress_show(pr, false, "%s %zu/%zu [%.*s%*s] %d%%", what, done, total, fill, hashes,
                  BAR_WIDTH - fill, "", percent);
}

void progress_end(struct progress *pr)
{
    if (pr->open_line) fputc('\n', pr->out);
    pr->open_line = false;
}
