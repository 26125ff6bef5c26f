-- The national division table. The 2/4/6/9/12-digit statistical code is a materialised path:
-- a subtree is a prefix range on the primary key, never a recursive walk.
CREATE TABLE region (
    code        VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    parent_code VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NULL,
    name        VARCHAR(100) NOT NULL,
    level       TINYINT UNSIGNED NOT NULL COMMENT '1 province, 2 city, 3 county, 4 township, 5 village',
    child_count INT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (code),
    KEY region_children (parent_code, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
