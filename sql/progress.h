/* Progress of a long command-line job (import-regions, import): on a terminal one line redrawn
 * in place, elsewhere only the lines that stay. */
#ifndef JICENG_PROGRESS_H
#define JICENG_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct progress {
    FILE *out; /* NULL: silent */
    bool tty;
    bool open_line; /* a terminal line was drawn without its newline */
    double last_draw;
};

/* Progress to out (NULL for none); a terminal when out is one. */
void progress_init(struct progress *pr, FILE *out);

/* Prints a phase. A final line stays; a passing one is shown on a terminal only, and the next
 * output draws over it. */
void progress_show(struct progress *pr, bool final, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "what done/total [#####     ] 50%", on a terminal only and at most ten times a second
 * (drawing is slow next to the work when a terminal is remote); always when done == total. */
void progress_bar(struct progress *pr, const char *what, size_t done, size_t total);

/* Ends a passing line, so that a message printed next starts on a line of its own. */
void progress_end(struct progress *pr);

/* Seconds on a monotonic clock. */
double progress_now(void);

#endif
