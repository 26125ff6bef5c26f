-- The rows of the roster (GET /api/v1/roster and its export) through one view: a position with
-- its person and its organisation, each of the three limited to the jurisdiction as in
-- my_position, my_person and my_organisation. A holder entered in another jurisdiction (a
-- position given to her from above) stays hidden from a user who cannot see her record.
--
-- The page joined the three views itself. At each execution MariaDB checks the rights of every
-- view again and estimates, with B-tree dives, the range of the jurisdiction on the indexes of
-- person and organisation by region, only to read both by primary key: outside HTTP, a county's
-- page (50 rows, two filters) cost it 8-10% more CPU than through this one view, which names
-- the primary keys and fixes the order every page takes: the positions first, in the order of
-- the index the sort reads, then the person and the organisation of each. (Left to itself the
-- optimiser starts from the organisations of the subtree and sorts all it joined, on every
-- page: the roster's statement said STRAIGHT_JOIN for that.)
CREATE VIEW my_roster AS
    SELECT p.id, p.person_id, s.name, s.gender, s.birth_date, s.education, s.political_status,
           s.id_number, s.mobile, s.last_training_on, p.organisation_id,
           o.name AS organisation_name, p.region, p.province, p.city, p.org_level, p.org_kind,
           p.role, p.full_time, p.in_two_committees, p.start_date, p.term_start, p.current,
           p.person_name
    FROM position p
    STRAIGHT_JOIN person s FORCE INDEX (PRIMARY) ON s.id = p.person_id
    STRAIGHT_JOIN organisation o FORCE INDEX (PRIMARY) ON o.id = p.organisation_id
    WHERE p.region LIKE CONCAT(jurisdiction(), '%')
      AND s.region LIKE CONCAT(jurisdiction(), '%')
      AND o.region LIKE CONCAT(jurisdiction(), '%');

-- The same rows, the positions read through position_roster: the default order (region, id),
-- for which migration 012 made my_position_in_region_order; this view takes its place.
CREATE VIEW my_roster_in_region_order AS
    SELECT p.id, p.person_id, s.name, s.gender, s.birth_date, s.education, s.political_status,
           s.id_number, s.mobile, s.last_training_on, p.organisation_id,
           o.name AS organisation_name, p.region, p.province, p.city, p.org_level, p.org_kind,
           p.role, p.full_time, p.in_two_committees, p.start_date, p.term_start, p.current,
           p.person_name
    FROM position p FORCE INDEX (position_roster)
    STRAIGHT_JOIN person s FORCE INDEX (PRIMARY) ON s.id = p.person_id
    STRAIGHT_JOIN organisation o FORCE INDEX (PRIMARY) ON o.id = p.organisation_id
    WHERE p.region LIKE CONCAT(jurisdiction(), '%')
      AND s.region LIKE CONCAT(jurisdiction(), '%')
      AND o.region LIKE CONCAT(jurisdiction(), '%');

DROP VIEW my_position_in_region_order;
