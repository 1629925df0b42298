"""Enterprises (生产经营单位): the registry other services learn about through events."""
