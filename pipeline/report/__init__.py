"""Presentation of results as tables (pandas lives here and in ``evaluation`` only)."""
