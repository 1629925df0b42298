"""Assignments of resident supervisors to enterprises, with their history."""
