/* The checks every request passes before its handler: cross-site request forgery, the session
 * and the role the route needs. The router calls them; handlers never repeat them. */
#ifndef JICENG_GUARD_H
#define JICENG_GUARD_H

#include "request.h"
#include "router.h"

/* A state-changing request (anything but GET, HEAD, OPTIONS) must carry X-Requested-With, which
 * a cross-site form cannot send and a cross-site script cannot send without a CORS preflight we
 * never grant; an Origin, when sent, must be our own; and Sec-Fetch-Site must not say
 * cross-site. SameSite cookies are the third line. Returns 0, or 403 with the response set. */
int guard_csrf(struct request *req);

/* For any access but ACCESS_PUBLIC: finds the session of the request's cookie (401 without
 * one), re-reads the identity from the directory when the snapshot is older than
 * refresh_interval (ending the session when the directory no longer vouches for the user; 503
 * when it cannot say and the outage grace is spent), and checks the role access needs (403).
 * Sets req->session, and @jurisdiction on the connection to the caller's region, so that the
 * my_* views hold her jurisdiction only. Public routes leave @jurisdiction alone: their
 * handlers must not read business data (the login handler sets the new user's). Returns 0, or the error status with the response set. */
int guard_session(struct request *req, enum access access);

/* The site's own origin: [session] origin, else scheme://host of the request. */
const char *guard_own_origin(struct request *req);

#endif
