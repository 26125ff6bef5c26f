/* A whole answer in one write. libfcgi copies what it is given into a buffer of 8 KB and writes
 * a record each time the buffer fills, and the end of the stream and of the request after: a
 * roster page of 26 KB took five writes, each waking nginx to read a part. An answer that is
 * already whole in memory goes as its records in one writev instead. */
#include "fastcgi_answer.h"

#include <errno.h>
#include <fastcgi.h>
#include <limits.h>
#include <sys/uio.h>

/* The most content a record holds (its length has 16 bits), rounded down to a multiple of 8. */
enum { RECORD_CONTENT = 0xFFF8 };

/* A record's header: type, request id and content length, both big-endian; no padding. */
static FCGI_Header record_header(int type, int request_id, size_t content_length)
{
    return (FCGI_Header){
        .version = FCGI_VERSION_1,
        .type = (unsigned char)type,
        .requestIdB1 = (unsigned char)(request_id >> 8),
        .requestIdB0 = (unsigned char)request_id,
        .contentLengthB1 = (unsigned char)(content_length >> 8),
        .contentLengthB0 = (unsigned char)content_length,
    };
}

/* Writes all of iov, however much the socket takes at a time. */
static int write_all(int fd, struct iovec *iov, int count)
{
    while (count > 0) {
        ssize_t n = writev(fd, iov, count > IOV_MAX ? IOV_MAX : count);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        for (; count > 0 && (size_t)n >= iov->iov_len; iov++, count--)
            n -= (ssize_t)iov->iov_len;
        if (count > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

void fastcgi_answer(struct arena *a, FCGX_Request *fcgi, const char *data, size_t len)
{
    size_t records = (len + RECORD_CONTENT - 1) / RECORD_CONTENT;
    FCGI_Header *headers = arena_alloc(a, (records + 1) * sizeof *headers);
    struct iovec *iov = arena_alloc(a, (2 * records + 2) * sizeof *iov);
    int count = 0;
    for (size_t r = 0; r < records; r++) {
        size_t offset = r * RECORD_CONTENT;
        size_t chunk = len - offset < RECORD_CONTENT ? len - offset : RECORD_CONTENT;
        headers[r] = record_header(FCGI_STDOUT, fcgi->requestId, chunk);
        iov[count++] = (struct iovec){&headers[r], sizeof headers[r]};
        iov[count++] = (struct iovec){(char *)data + offset, chunk};
    }
    /* An empty record ends the output stream; then the request ends, complete. */
    headers[records] = record_header(FCGI_STDOUT, fcgi->requestId, 0);
    iov[count++] = (struct iovec){&headers[records], sizeof headers[records]};
    FCGI_EndRequestRecord *end = arena_zalloc(a, sizeof *end);
    end->header = record_header(FCGI_END_REQUEST, fcgi->requestId, sizeof end->body);
    end->body.protocolStatus = FCGI_REQUEST_COMPLETE;
    iov[count++] = (struct iovec){end, sizeof *end};
    if (write_all(fcgi->ipcFd, iov, count) != 0)
        fcgi->keepConnection = 0;
    /* FCGX_FClose writes nothing for a stream it finds closed already. */
    FCGX_Stream *streams[] = {fcgi->out, fcgi->err};
    for (int i = 0; i < 2; i++)
        streams[i]->isClosed = streams[i]->wasFCloseCalled = 1;
}
