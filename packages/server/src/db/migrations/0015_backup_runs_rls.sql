-- Backup runs belong to the installation, not to a workspace: like login_failures, tenant code
-- has no business with them. The admin routes and the backup job read and write them in system
-- transactions after checking that the caller is an instance administrator.
REVOKE ALL ON backup_runs FROM zizhi_app;
