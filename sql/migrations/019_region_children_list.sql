-- Each region keeps the list of its children, for a page of them (GET
-- /api/v1/regions/{code}/children): the page is then one row read by primary key through
-- my_region, the cheapest read MariaDB serves. Read from the index of region_children with a
-- join to the parent, the same page cost MariaDB about twice the CPU of a primary-key read (a
-- range to plan, rows to send), and region children stayed short of 8,000 pages/s.
--
-- The list is derived from the table like child_count: import-regions, which alone writes the
-- division table, makes it again in the transaction of its import (sql/region_import.c). One
-- line per child in code order: code, level, number of children and name, separated by tabs (a
-- name holds no control characters: the importer refuses them). NULL without children.
ALTER TABLE region
    ADD COLUMN children MEDIUMTEXT NULL
        COMMENT 'code TAB level TAB child_count TAB name per child, a line each, in code order';

-- The longest list of the country is about 6.5 KB (a township of 170 villages).
SET SESSION group_concat_max_len = 16777216;
UPDATE region p JOIN (
    SELECT parent_code, GROUP_CONCAT(code, '\t', level, '\t', child_count, '\t', name
                                     ORDER BY code SEPARATOR '\n') AS list
    FROM region WHERE parent_code IS NOT NULL GROUP BY parent_code
) c ON c.parent_code = p.code
SET p.children = c.list;

-- A view keeps the column list it was made with: made again, it has the new column.
CREATE OR REPLACE VIEW my_region AS
    SELECT * FROM region WHERE code LIKE CONCAT(jurisdiction(), '%');
