-- The rights of the application's database account ([database] user). Run as a MariaDB
-- administrator after `jiceng migrate`, with @APP@ replaced by the account (for example
-- 'jiceng'@'localhost') and @DB@ by the database name; stack/lib.sh does it for the demo and
-- test stacks. Run it again after a migration that adds tables or views.
--
-- Business data is reachable only through the my_* views, which keep the caller's
-- jurisdiction (see sql/migrations/003_jurisdiction_roster.sql); the tables behind them are not
-- granted. The audit log can be appended to and read through its view, never changed.
REVOKE ALL PRIVILEGES, GRANT OPTION FROM @APP@;
GRANT SELECT ON @DB@.schema_migration TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.session TO @APP@;
GRANT SELECT, INSERT, UPDATE, DELETE ON @DB@.login_throttle TO @APP@;
GRANT INSERT ON @DB@.audit_log TO @APP@;
GRANT SELECT ON @DB@.my_audit_log TO @APP@;
GRANT SELECT ON @DB@.my_region TO @APP@;
-- The division table itself is public reference data, not business data; it is read directly
-- only for the children of a region already found through my_region.
GRANT SELECT ON @DB@.region TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_organisation TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_person TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_position TO @APP@;
-- The roster's rows: a position with its person and organisation (migration 020), also in the
-- roster's default order.
GRANT SELECT ON @DB@.my_roster TO @APP@;
GRANT SELECT ON @DB@.my_roster_in_region_order TO @APP@;
GRANT SELECT, INSERT ON @DB@.my_training TO @APP@;
-- The caller's jurisdiction as a value, for a query that needs the code itself (the roster's
-- province and city sorts compare it with a column); it returns only what the session set.
GRANT EXECUTE ON FUNCTION @DB@.jurisdiction TO @APP@;
-- The statistics (migration 006): the counts kept per county and township, and the recount of a
-- subtree.
GRANT SELECT ON @DB@.my_stat_county TO @APP@;
GRANT SELECT ON @DB@.my_stat_township TO @APP@;
GRANT SELECT ON @DB@.my_stat_recount TO @APP@;
-- Workflows (migration 005): the chains that apply to the caller are read, her own subtree's
-- written (a province admin's province's chains); requests, their
-- steps and candidates change through their views; the history is appended to and read, never
-- changed, like the audit log.
GRANT SELECT ON @DB@.my_workflow_chain TO @APP@;
GRANT SELECT ON @DB@.my_workflow_chain_step TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_own_workflow_chain TO @APP@;
GRANT SELECT, INSERT, DELETE ON @DB@.my_own_workflow_chain_step TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_workflow_request TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_workflow_request_step TO @APP@;
GRANT SELECT, INSERT ON @DB@.my_workflow_event TO @APP@;
GRANT SELECT, INSERT ON @DB@.my_workflow_copy TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_reelection TO @APP@;
GRANT SELECT, INSERT, UPDATE, DELETE ON @DB@.my_reelection_candidate TO @APP@;
-- The steps waiting under way, counted per county and day (migration 011), for the oversight.
GRANT SELECT ON @DB@.my_workflow_waiting_county TO @APP@;
-- New organisations (migration 008): the registry, the links of executive members, their visits.
GRANT SELECT, INSERT, UPDATE ON @DB@.my_new_org TO @APP@;
GRANT SELECT, INSERT, UPDATE ON @DB@.my_new_org_link TO @APP@;
GRANT SELECT, INSERT ON @DB@.my_new_org_visit TO @APP@;
-- Proposals to cover a new organisation (migration 013), decided by the chain engine.
GRANT SELECT, INSERT, UPDATE ON @DB@.my_new_org_coverage_request TO @APP@;
