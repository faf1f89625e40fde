"""desist: Integrated Offender Management and reducing reoffending."""
