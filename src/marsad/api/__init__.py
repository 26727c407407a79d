"""REST API (FastAPI) over the engine: ``create_app``; ``marsad serve`` registers in ``cli``."""
