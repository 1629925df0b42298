-- Extensions that a service's migrations use but its role may not create (that needs a
-- superuser, or CREATE on the database). Each goes into the schema of the service that uses
-- it, which is that role's whole search_path; the migration's own CREATE EXTENSION IF NOT
-- EXISTS then finds it installed and does nothing.

-- supervisor: trigram index for Chinese substring search of enterprise names.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA supervisor;
