/* The connections nginx opens to the application, shared by the worker threads through one
 * epoll set: a worker takes whichever connection has a request waiting, serves it, and hands
 * the connection back when nginx keeps it for its next request (fastcgi_keep_conn with an
 * upstream keepalive pool, nginx/jiceng-upstream.conf).
 *
 * No thread ever waits on an idle connection, so nginx may keep as many open as it likes: with
 * libfcgi's own accept loop a worker would stay on a kept connection until nginx closed it, and
 * a pool larger than the workers would leave new connections waiting for a thread. Keeping
 * them spares nginx and the application a connect, an accept and a close per request.
 * Connections that nginx does not keep are served the same way and closed after their request. */
#ifndef JICENG_CONNECTIONS_H
#define JICENG_CONNECTIONS_H

struct connections;

/* A connection from nginx: fd is for the worker that took it to read and write. */
struct connection {
    int fd;
    struct connection *prev, *next; /* the set's: its place among the idle connections */
};

/* Watches listen_fd (which it makes non-blocking) for new connections. NULL with errno set. */
struct connections *connections_open(int listen_fd);

/* Waits for a connection that has a request to read (its descriptor blocking, as libfcgi wants
 * it); it is the caller's until given back with connections_keep or connections_drop. Returns
 * NULL once connections_stop was called. */
struct connection *connections_next(struct connections *c);

/* Gives back a connection whose request was answered and that nginx keeps open. */
void connections_keep(struct connections *c, struct connection *conn);

/* Forgets a connection whose descriptor was closed. */
void connections_drop(struct connection *conn);

/* Stops: new connections are refused and idle ones ended, so that nginx answers a new request
 * at once, and every connections_next returns NULL, now and from then on. A request in flight
 * is answered; its connection is closed when given back. */
void connections_stop(struct connections *c);

/* Closes what is left, once no worker uses the set any more (not the listening socket). */
void connections_close(struct connections *c);

#endif
