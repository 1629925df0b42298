"""The reports officials send: monthly dispatch, quarterly ranking, campaign report, half-year summary."""
