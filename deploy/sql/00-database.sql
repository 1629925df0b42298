-- Database-wide hardening, run before the per-service schemas (file names sort first).
-- Nobody but the owner and the service roles granted below may connect, and the public
-- schema is closed so that no service can create objects outside its own schema.
\set ON_ERROR_STOP on
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
