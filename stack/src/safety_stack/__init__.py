"""`safety`: run the whole system on embedded PostgreSQL and an embedded Kafka-protocol broker."""
