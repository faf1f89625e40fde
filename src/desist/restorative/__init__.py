"""Restorative justice."""
