"""Scaling out: Spark jobs over whole archives."""
