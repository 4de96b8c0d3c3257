"""The REST API (Django REST framework), mounted at /api/.

Every state change goes through ``claims.review.workflow``, so the API refuses exactly
what the web app refuses, with the same messages.
"""
