"""The JSON API (django-ninja), mounted at /api/. Filled in by the API work."""

urlpatterns: list = []
