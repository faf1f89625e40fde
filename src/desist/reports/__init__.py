"""Scrutiny reports."""
