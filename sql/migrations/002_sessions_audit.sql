-- Sessions, login throttling and the audit log.
--
-- A session row holds the hash of the token the browser keeps, never the token itself, so a
-- copy of this table logs nobody in. The identity is a snapshot of what the directory said at
-- login or at the last refresh (refreshed_at): requests read it from here, and the directory is
-- asked again only every [session] refresh_interval minutes.
CREATE TABLE session (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    token_hash   BINARY(32) NOT NULL COMMENT 'SHA-256 of the cookie value',
    username     VARCHAR(256) NOT NULL,
    dn           VARCHAR(1024) NOT NULL,
    display_name VARCHAR(256) NOT NULL,
    region       VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    roles        INT UNSIGNED NOT NULL COMMENT 'role bits, see auth/roles.h',
    address      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_agent   VARCHAR(256) NOT NULL DEFAULT '',
    created_at   DATETIME(3) NOT NULL,
    last_seen_at DATETIME(3) NOT NULL COMMENT 'for the idle timeout, touched at most once a minute',
    refreshed_at DATETIME(3) NOT NULL COMMENT 'when the directory last vouched for the identity',
    expires_at   DATETIME(3) NOT NULL COMMENT 'the absolute timeout',
    ended_at     DATETIME(3) NULL,
    end_reason   VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
    PRIMARY KEY (id),
    UNIQUE KEY session_token (token_hash),
    KEY session_jurisdiction (region, ended_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins per username and client address, for the lockout of [login]. The username is
-- compared case-insensitively, as directories compare uid and sAMAccountName.
CREATE TABLE login_throttle (
    username     VARCHAR(256) NOT NULL,
    address      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    failures     INT UNSIGNED NOT NULL,
    window_start DATETIME(3) NOT NULL,
    locked_until DATETIME(3) NULL,
    PRIMARY KEY (username, address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change of business data, written in the transaction of the change. region is where
-- the changed thing lies, so an admin reads the log of their jurisdiction with a prefix range.
CREATE TABLE audit_log (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    at           DATETIME(3) NOT NULL,
    actor        VARCHAR(256) NOT NULL COMMENT 'the username, or a command such as jiceng import',
    actor_region VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    region       VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    action       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    entity       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    entity_id    VARCHAR(64) NOT NULL,
    before_data  LONGTEXT NULL CHECK (before_data IS NULL OR JSON_VALID(before_data)),
    after_data   LONGTEXT NULL CHECK (after_data IS NULL OR JSON_VALID(after_data)),
    request_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    address      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    PRIMARY KEY (id),
    KEY audit_jurisdiction (region, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only, also for an account that was granted more than it should have been.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
