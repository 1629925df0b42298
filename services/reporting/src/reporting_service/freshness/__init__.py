"""How current the statistics are: per topic lag and the last applied event."""
