"""The web's admin area (``/web/admin``, administrators only): reference data, users,
web API keys, through the functions the admin API and the CLI use."""
