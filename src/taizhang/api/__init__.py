"""The JSON API (django-ninja) under /api/, for office messaging bots and other programs.

See ``taizhang.api.api`` for the endpoints and ``taizhang.api.auth`` for how callers authenticate.
"""
