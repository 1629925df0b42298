"""Kafka publishing and consuming over aiokafka, with a timeout on every broker call."""
