"""Cohort selection: proposals per scheme and local authority, with reasons and flags."""
