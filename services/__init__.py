"""Domain logic without UI: pages call these modules and never touch tables directly."""
from services.text_hygiene import install_storage_boundary

install_storage_boundary()  # every session cleans the text it writes (services/text_hygiene.py)
