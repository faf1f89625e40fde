"""Referrals of vulnerable people."""
