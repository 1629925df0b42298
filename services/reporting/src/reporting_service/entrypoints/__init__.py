"""Process entry points: api, worker, migrate."""
