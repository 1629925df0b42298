"""Public posting (上墙公示): printable notices per enterprise and township rosters."""
