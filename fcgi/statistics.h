/* The statistics of a region: what GET /api/v1/statistics/{code} answers and the XLSX report
 * (fcgi/statistics_report.c) lays out. */
#ifndef JICENG_STATISTICS_H
#define JICENG_STATISTICS_H

#include <jansson.h>

#include "request.h"

/* Reads the statistics of the region {code} of the path as the JSON document the API answers
 * (see fcgi/openapi.json, Statistics). Returns 0 with *out set (new reference), or an error
 * status with the answer set: 400 for a malformed code, 404 when the region is not in the
 * caller's jurisdiction, 503/500 for the database. */
int statistics_read(struct request *req, json_t **out);

#endif
