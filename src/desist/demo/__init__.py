"""`desist demo`: a synthetic partnership, imported and served, with a sign-in for each role."""
