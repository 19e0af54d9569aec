"""Plain-Python rules of the scheme: no Flask, no SQLAlchemy, time passed in as arguments."""
