/* The shared set of connections (fcgi/connections.c) on a real unix socket, one thread playing
 * both sides: every step writes what the worker is to find before it asks for it, so nothing
 * waits on timing. A request already there when its connection is accepted is handed out at
 * once, and the connection kept after it serves the next request; one whose request had not
 * come waits in the set; stopping ends idle connections and hands out nothing more. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "connections.h"

static struct sockaddr_un address;

static int listening(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    address.sun_family = AF_UNIX;
    snprintf(address.sun_path, sizeof address.sun_path, "/tmp/jiceng-test-%d.sock", getpid());
    unlink(address.sun_path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0)
        return -1;
    return fd;
}

static int connected(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    return fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof address) == 0 ? fd : -1;
}

/* What a worker does with a request: reads it, answers it. */
static void serve(struct connection *conn, const char *want)
{
    char got[16] = "";
    ssize_t n = read(conn->fd, got, sizeof got - 1);
    CHECK(n > 0);
    CHECK_STR(got, want);
    CHECK(write(conn->fd, "ok", 2) == 2);
}

/* The client's side is still open: nothing to read, and no end either. */
static bool still_open(int client)
{
    char byte;
    return recv(client, &byte, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void answered(int client)
{
    char got[3] = "";
    CHECK(read(client, got, 2) == 2);
    CHECK_STR(got, "ok");
}

/* A worker's turn: the next connection with a request must be client's with want; it is served
 * and kept, and client has its answer. */
static void turn(struct connections *set, int client, const char *want)
{
    struct connection *conn = connections_next(set);
    CHECK(conn != NULL);
    if (conn) {
        serve(conn, want);
        connections_keep(set, conn);
    }
    answered(client);
}

int main(void)
{
    /* A connection closed under the test fails a check rather than the process; a step that
     * would wait for ever ends the test after ten seconds instead. */
    signal(SIGPIPE, SIG_IGN);
    alarm(10);
    int listen_fd = listening();
    CHECK(listen_fd >= 0);
    struct connections *set = connections_open(listen_fd);
    CHECK(set != NULL);
    if (!set)
        return check_report();

    /* The request is there when the connection is accepted: handed out at once. */
    int client = connected();
    CHECK(write(client, "first", 5) == 5);
    turn(set, client, "first");
    CHECK(still_open(client));

    /* The next request on the kept connection. */
    CHECK(write(client, "second", 6) == 6);
    turn(set, client, "second");

    /* A connection whose request has not come: accepted into the set, handed out once it has
     * (the first call finds the request of the kept connection). */
    int quiet = connected();
    CHECK(write(client, "third", 5) == 5);
    turn(set, client, "third");
    CHECK(write(quiet, "late", 4) == 4);
    turn(set, quiet, "late");

    /* Stopping: the idle connections end, and no more are handed out. */
    connections_stop(set);
    char byte;
    CHECK(read(client, &byte, 1) == 0);
    CHECK(read(quiet, &byte, 1) == 0);
    CHECK(connections_next(set) == NULL);

    connections_close(set);
    close(client);
    close(quiet);
    close(listen_fd);
    unlink(address.sun_path);
    return check_report();
}
