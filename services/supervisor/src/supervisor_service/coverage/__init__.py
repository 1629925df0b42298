"""Coverage of enterprises by resident supervisors."""
