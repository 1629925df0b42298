"""Administrative penalty cases (行政处罚案件): general and simplified procedures, legal clocks."""
