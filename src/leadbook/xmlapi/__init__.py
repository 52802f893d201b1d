"""The resource-style XML face of seed 004: /leads.xml."""
