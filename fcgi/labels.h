/* The Chinese names of the API's codes (levels, kinds, offices, education, ...) for what people
 * read outside the web UI: exports and reports. The web UI keeps the same names in
 * web/js/labels.js. */
#ifndef JICENG_LABELS_H
#define JICENG_LABELS_H

/* The Chinese name of code, code itself when it has none, "" for NULL. */
const char *label_zh(const char *code);

#endif
