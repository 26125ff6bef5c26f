/* Masking of personal data, and the [roles] personal_data setting that decides who sees it. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "privacy.h"
#include "roles.h"

/* Loads a settings file with text over the defaults; returns config_load's result. */
static int load(struct config *cfg, const char *text, char *err, size_t errlen)
{
    char path[] = "/tmp/jiceng-privacy-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return -2;
    close(fd);
    config_defaults(cfg);
    int rc = config_load(cfg, path, err, errlen);
    unlink(path);
    return rc;
}

static void masks(void)
{
    char out[64];
    privacy_mask_id_number("11010519491231002X", out, sizeof out);
    CHECK_STR(out, "110105********002X");
    privacy_mask_id_number("210102198002290026", out, sizeof out);
    CHECK_STR(out, "210102********0026");
    privacy_mask_mobile("13812345678", out, sizeof out);
    CHECK_STR(out, "138****5678");
    /* Too short to keep anything: all hidden, nothing read past the end. */
    privacy_mask_id_number("123456789", out, sizeof out);
    CHECK_STR(out, "*********");
    privacy_mask_mobile("123456", out, sizeof out);
    CHECK_STR(out, "******");
    privacy_mask_mobile("", out, sizeof out);
    CHECK_STR(out, "");
    /* A small buffer cuts the mask, never overflows. */
    char small[5];
    privacy_mask_mobile("13812345678", small, sizeof small);
    CHECK_STR(small, "138*");

    json_t *v = privacy_id_number_json("210102198002290026", false);
    CHECK_STR(json_string_value(v), "210102********0026");
    json_decref(v);
    v = privacy_id_number_json("210102198002290026", true);
    CHECK_STR(json_string_value(v), "210102198002290026");
    json_decref(v);
    v = privacy_mobile_json("13812345678", false);
    CHECK_STR(json_string_value(v), "138****5678");
    json_decref(v);
    v = privacy_mobile_json(NULL, false);
    CHECK(json_is_null(v));
    json_decref(v);
}

static void setting(void)
{
    struct config cfg;
    char err[512];
    config_defaults(&cfg);
    CHECK_INT(cfg.personal_data_roles, ROLE_CLERK | ROLE_ADMIN);
    CHECK(privacy_allowed(&cfg, ROLE_CLERK));
    CHECK(privacy_allowed(&cfg, ROLE_VIEWER | ROLE_ADMIN));
    CHECK(!privacy_allowed(&cfg, ROLE_VIEWER));
    CHECK(!privacy_allowed(&cfg, ROLE_APPROVER));
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[roles]\npersonal_data = approver, viewer\n", err, sizeof err), 0);
    CHECK_INT(cfg.personal_data_roles, ROLE_APPROVER | ROLE_VIEWER);
    CHECK(!privacy_allowed(&cfg, ROLE_CLERK));
    config_free(&cfg);

    /* Empty: nobody sees personal data. */
    CHECK_INT(load(&cfg, "[roles]\npersonal_data =\n", err, sizeof err), 0);
    CHECK_INT(cfg.personal_data_roles, 0);
    config_free(&cfg);

    CHECK_INT(load(&cfg, "[roles]\npersonal_data = clerk,auditor\n", err, sizeof err), -1);
    CHECK(strstr(err, ":2: [roles] personal_data: expected role names") != NULL);
    config_free(&cfg);
}

int main(void)
{
    masks();
    setting();
    return check_report();
}
