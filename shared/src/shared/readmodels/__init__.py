"""Local read models of data another service owns, kept from its events."""
