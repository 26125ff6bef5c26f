-- A page of a region's children (GET /api/v1/regions/{code}/children) reads region_children in
-- its order. The index held only the codes, so every child on the page was then looked up again
-- in the table for its name, level and number of children: three more pages of the clustered
-- index each. With those columns in the index the page is read from the index alone. The order
-- is unchanged: (parent_code, code) is unique, and the columns after it only ride along.
-- MariaDB's CPU per page of a province's 14 cities fell by about a sixth.
ALTER TABLE region
    DROP INDEX region_children,
    ADD INDEX region_children (parent_code, code, name, level, child_count);
