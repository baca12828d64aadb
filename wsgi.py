"""WSGI entry point: gunicorn wsgi:app."""
from society_saas import create_app

app = create_app()
