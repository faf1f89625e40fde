"""Licence and order supervision."""
