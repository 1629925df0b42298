"""Visit logs of resident supervisors and their findings."""
