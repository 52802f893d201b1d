"""Server-rendered pages for sales people (Jinja2 + htmx)."""
