"""Sijill's Django project: settings, URLs and the project-wide error hierarchy."""
