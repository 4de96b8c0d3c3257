"""The REST API (Django REST framework), mounted at /api/.

Every state change goes through ``claims.workflow``, so the API refuses exactly
what the web app refuses, with the same messages.
"""
