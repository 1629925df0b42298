"""Crackdowns (打非治违), interviews (约谈), public exposures (警示曝光) and typical cases (典型案例)."""
