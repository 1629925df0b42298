"""Dual prevention (双重预防): enterprise risk points graded in four colours."""
