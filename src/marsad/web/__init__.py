"""Web UI: Jinja2 templates and local static assets, right to left (``pages``, ``render``)."""
