"""The capture faces: web forms (``POST /intake/{key}``) and mail (``leadbook smtp``)."""
