/* The workers' shared epoll set: the listening socket and every idle connection, each armed for
 * one event at a time (EPOLLONESHOT), so that one worker wakes for one request or one new
 * connection. The idle connections are also kept in a list, so that stopping can end them. */
#include "connections.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

struct connections {
    int epoll;
    int listen_fd;
    int stop_fd;           /* an eventfd, readable once stopping: level-triggered, it wakes all */
    pthread_mutex_t lock;  /* over stopping and the idle list */
    bool stopping;
    struct connection idle; /* the head of a ring of the connections waiting for a request */
};

enum { ONE_EVENT = EPOLLIN | EPOLLONESHOT };

/* An event's data is the connection, or the address of listen_fd or stop_fd for those two. */
static int watch(struct connections *c, int op, int fd, void *data, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = data};
    return epoll_ctl(c->epoll, op, fd, &ev);
}

static void link_idle(struct connections *c, struct connection *conn)
{
    conn->next = c->idle.next;
    conn->prev = &c->idle;
    c->idle.next->prev = conn;
    c->idle.next = conn;
}

static void unlink_idle(struct connection *conn)
{
    conn->prev->next = conn->next;
    conn->next->prev = conn->prev;
}

struct connections *connections_open(int listen_fd)
{
    struct connections *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = (struct connections){.listen_fd = listen_fd};
    c->idle.next = c->idle.prev = &c->idle;
    pthread_mutex_init(&c->lock, NULL);
    c->epoll = epoll_create1(EPOLL_CLOEXEC);
    c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int flags = fcntl(listen_fd, F_GETFL);
    if (c->epoll < 0 || c->stop_fd < 0 || flags < 0 ||
        fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
        watch(c, EPOLL_CTL_ADD, listen_fd, &c->listen_fd, ONE_EVENT) != 0 ||
        watch(c, EPOLL_CTL_ADD, c->stop_fd, &c->stop_fd, EPOLLIN) != 0) {
        int saved = errno;
        connections_close(c);
        errno = saved;
        return NULL;
    }
    return c;
}

/* Puts a new connection in the set, where it waits like a kept one for its request. */
static void add_new(struct connections *c, int fd)
{
    struct connection *conn = malloc(sizeof *conn);
    if (!conn) {
        close(fd);
        return;
    }
    conn->fd = fd;
    connections_keep(c, conn);
}

/* Out of descriptors, the listening socket stays readable and would wake a worker again at
 * once: a short pause lets requests in flight end and give theirs back. */
static void pause_briefly(void)
{
    const struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

/* Accepts a connection and arms the listening socket again, so that another worker takes the
 * next one meanwhile. nginx writes its request right after connecting: when it is there, the
 * connection is the caller's at once, as with a plain accept loop; otherwise it waits in the set
 * like a kept one, so that no worker blocks on a connection that sends nothing. */
static struct connection *accept_one(struct connections *c)
{
    int fd;
    do
        fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && (errno == EINTR || errno == ECONNABORTED));
    int accept_errno = errno;
    if (watch(c, EPOLL_CTL_MOD, c->listen_fd, &c->listen_fd, ONE_EVENT) != 0)
        log_error("cannot watch the listening socket: %s", strerror(errno));
    if (fd < 0) {
        if (accept_errno != EAGAIN && accept_errno != EWOULDBLOCK) {
            log_warn("cannot accept a connection: %s", strerror(accept_errno));
            if (accept_errno == EMFILE || accept_errno == ENFILE)
                pause_briefly();
        }
        return NULL;
    }
    char first;
    struct connection *conn;
    if (recv(fd, &first, 1, MSG_PEEK | MSG_DONTWAIT) <= 0 || !(conn = malloc(sizeof *conn))) {
        add_new(c, fd);
        return NULL;
    }
    conn->fd = fd;
    return conn;
}

struct connection *connections_next(struct connections *c)
{
    for (;;) {
        struct epoll_event ev;
        int n = epoll_wait(c->epoll, &ev, 1, -1);
        if (n < 0 && errno != EINTR) {
            log_error("cannot wait for connections: %s", strerror(errno));
            return NULL;
        }
        if (n <= 0)
            continue;
        pthread_mutex_lock(&c->lock);
        bool stopping = c->stopping;
        struct connection *conn = NULL;
        if (!stopping && ev.data.ptr != &c->listen_fd && ev.data.ptr != &c->stop_fd) {
            conn = ev.data.ptr;
            unlink_idle(conn);
        }
        pthread_mutex_unlock(&c->lock);
        if (stopping)
            return NULL;
        if (!conn)
            conn = accept_one(c);
        else if (ev.events & EPOLLHUP) { /* nginx closed it: there is no request to read */
            close(conn->fd);
            connections_drop(conn);
            conn = NULL;
        }
        if (conn)
            return conn;
    }
}

void connections_keep(struct connections *c, struct connection *conn)
{
    pthread_mutex_lock(&c->lock);
    bool kept = false;
    if (!c->stopping) {
        link_idle(c, conn);
        /* A new one, or one that accept_one handed out at once, is not in the set yet. */
        kept = watch(c, EPOLL_CTL_MOD, conn->fd, conn, ONE_EVENT) == 0 ||
               (errno == ENOENT && watch(c, EPOLL_CTL_ADD, conn->fd, conn, ONE_EVENT) == 0);
        if (!kept)
            unlink_idle(conn);
    }
    pthread_mutex_unlock(&c->lock);
    if (!kept) {
        close(conn->fd);
        connections_drop(conn);
    }
}

void connections_drop(struct connection *conn)
{
    free(conn);
}

void connections_stop(struct connections *c)
{
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    /* nginx's next connect is refused, and it sees its idle connections end: a request it sends
     * on one meanwhile fails at once, and so does its retry on a new connection. */
    shutdown(c->listen_fd, SHUT_RDWR);
    for (struct connection *conn = c->idle.next; conn != &c->idle; conn = conn->next)
        shutdown(conn->fd, SHUT_RDWR);
    pthread_mutex_unlock(&c->lock);
    uint64_t one = 1;
    (void)!write(c->stop_fd, &one, sizeof one);
}

void connections_close(struct connections *c)
{
    while (c->idle.next != &c->idle) {
        struct connection *conn = c->idle.next;
        unlink_idle(conn);
        close(conn->fd);
        free(conn);
    }
    if (c->epoll >= 0)
        close(c->epoll);
    if (c->stop_fd >= 0)
        close(c->stop_fd);
    pthread_mutex_destroy(&c->lock);
    free(c);
}
