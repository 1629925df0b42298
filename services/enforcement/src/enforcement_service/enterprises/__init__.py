"""Local read model of the supervisor service's enterprise registry."""
