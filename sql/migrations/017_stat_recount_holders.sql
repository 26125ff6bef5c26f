-- The recount (006) read a holder's record through my_person, the caller's jurisdiction. A
-- township or village is answered from the recount with the jurisdiction narrowed to it, so a
-- cadre on the roll of another township who holds an office here was counted as a cadre but
-- not by her age, education, party or training, while the kept counts (whose triggers read the
-- person table) counted her fully. Her record is now read from the table: the office is in the
-- jurisdiction (my_position), and only counts come out of the view, never her record.
-- The metrics are unchanged; keep them alike with the triggers of 016.
CREATE OR REPLACE VIEW my_stat_recount AS
    SELECT region, CONCAT('org.', kind, '.', level) AS metric, COUNT(*) AS n
        FROM my_organisation GROUP BY region, kind, level
    UNION ALL
    SELECT region, 'converted', COUNT(*) FROM my_organisation
        WHERE level = 5 AND kind = 'federation' AND converted_on IS NOT NULL GROUP BY region
    UNION ALL
    SELECT region, 'cadre', COUNT(*) FROM my_position WHERE current = 1 GROUP BY region
    UNION ALL
    SELECT region, CONCAT('office.', role, IF(role = 'vice_chair', IF(full_time, '.full', '.part'), '')),
        COUNT(*) FROM my_position WHERE current = 1 GROUP BY region, role, full_time
    UNION ALL
    SELECT region, CONCAT('added.', YEAR(start_date)), COUNT(*) FROM my_position
        WHERE current = 1 GROUP BY region, YEAR(start_date)
    UNION ALL
    SELECT region, 'village_chair', COUNT(*) FROM my_position
        WHERE current = 1 AND org_level = 5 AND role IN ('chair', 'congress_director')
        GROUP BY region
    UNION ALL
    SELECT region, 'village_chair.in_two', COUNT(*) FROM my_position
        WHERE current = 1 AND org_level = 5 AND role IN ('chair', 'congress_director')
        AND in_two_committees GROUP BY region
    UNION ALL
    SELECT p.region, CONCAT('born.', YEAR(s.birth_date)), COUNT(*)
        FROM my_position p JOIN person s ON s.id = p.person_id
        WHERE p.current = 1 GROUP BY p.region, YEAR(s.birth_date)
    UNION ALL
    SELECT p.region, CONCAT('education.', s.education), COUNT(*)
        FROM my_position p JOIN person s ON s.id = p.person_id
        WHERE p.current = 1 GROUP BY p.region, s.education
    UNION ALL
    SELECT p.region, 'party', COUNT(*)
        FROM my_position p JOIN person s ON s.id = p.person_id
        WHERE p.current = 1 AND s.political_status IN ('cpc_member', 'cpc_probationary')
        GROUP BY p.region
    UNION ALL
    SELECT p.region, CONCAT('trained.', YEAR(s.last_training_on)), COUNT(*)
        FROM my_position p JOIN person s ON s.id = p.person_id
        WHERE p.current = 1 AND s.last_training_on IS NOT NULL
        GROUP BY p.region, YEAR(s.last_training_on);
