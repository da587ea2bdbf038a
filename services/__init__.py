"""Domain logic without UI: pages call these modules and never touch tables directly."""
