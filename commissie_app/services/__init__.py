"""Use cases. Each public call is one unit of work and raises domain errors."""
