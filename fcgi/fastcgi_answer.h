/* An answer written to nginx as FastCGI records in one write. */
#ifndef JICENG_FASTCGI_ANSWER_H
#define JICENG_FASTCGI_ANSWER_H

#include <fcgiapp.h>
#include <stddef.h>

#include "arena.h"

/* Writes data (headers and body) as the request's whole output, with the end of its stream and
 * of the request, and marks libfcgi's output streams closed so that FCGX_Finish_r adds nothing.
 * A failed write clears keepConnection: the connection is closed. */
void fastcgi_answer(struct arena *a, FCGX_Request *fcgi, const char *data, size_t len);

#endif
