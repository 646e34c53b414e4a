"""The JSON API (django-ninja) at /api/, with its OpenAPI 3 schema at /api/openapi.json and docs at /api/docs.

Each app keeps its routes in its own `api.py`; `urls.py` assembles them. Session authentication, the same
access helpers as the pages, JSON errors in the user's language (errors.py).
"""
