/* Error and access logging: each line is formatted first, then written with one write(2). */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int access_fd = 2;

/* "2026-01-31T12:34:56.789Z". The part up to the seconds is made once a second per thread:
 * strftime was a noticeable part of a request that costs little else. */
static size_t timestamp(char *buf, size_t len)
{
    static _Thread_local struct {
        time_t second;
        char text[32];
        size_t len;
    } last;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec != last.second || !last.len) {
        struct tm tm;
        gmtime_r(&now.tv_sec, &tm);
        last.len = strftime(last.text, sizeof last.text, "%Y-%m-%dT%H:%M:%S", &tm);
        last.second = now.tv_sec;
    }
    memcpy(buf, last.text, last.len);
    int millis = (int)(now.tv_nsec / 1000000);
    size_t n = last.len;
    n += (size_t)snprintf(buf + n, len - n, ".%03dZ", millis);
    return n;
}

/* Appends to a line buffer without ever overflowing it; a cut line still ends in a newline. */
static void write_line(int fd, char *line, size_t len, size_t cap)
{
    if (len >= cap - 1)
        len = cap - 2;
    line[len++] = '\n';
    (void)!write(fd, line, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info"};
    char line[2048];
    size_t n = timestamp(line, sizeof line);
    n += (size_t)snprintf(line + n, sizeof line - n, " %s ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    n += m > 0 ? (size_t)m : 0;
    write_line(2, line, n, sizeof line);
}

int access_log_open(const char *path)
{
    if (path[0] == '-' && path[1] == '\0') {
        access_fd = 2;
        return 0;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    access_fd = fd;
    return 0;
}

/* Copies text for a log line with control characters replaced, so a client cannot forge lines. */
static const char *printable(char *buf, size_t cap, const char *text)
{
    size_t i = 0;
    for (; text[i] && i < cap - 1; i++)
        buf[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
    buf[i] = '\0';
    return buf;
}

void access_log_write(const char *request_id, const char *remote, const char *method,
                      const char *path, int status, double millis)
{
    char line[1024], clean_path[256], clean_id[64];
    request_id = printable(clean_id, sizeof clean_id, request_id);
    path = printable(clean_path, sizeof clean_path, path);
    size_t n = timestamp(line, sizeof line);
    /* The duration in whole microseconds, printed as milliseconds with three decimals: integer
     * formatting, cheaper than %.3f. */
    long long micros = (long long)(millis * 1000.0 + 0.5);
    int m = snprintf(line + n, sizeof line - n, " %s %s %.16s %s %d %lld.%03lldms",
                     request_id[0] ? request_id : "-", remote[0] ? remote : "-", method, path,
                     status, micros / 1000, micros % 1000);
    n += m > 0 ? (size_t)m : 0;
    write_line(access_fd, line, n, sizeof line);
}
