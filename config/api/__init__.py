"""The REST API (Django REST Framework): the same rules and the same vocabulary as the web
pages and `sijill show --json`. Like the web views, it only calls into the components."""
