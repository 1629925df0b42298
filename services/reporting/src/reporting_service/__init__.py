"""Reporting service: statistics kept from the event stream and the reports officials send."""
