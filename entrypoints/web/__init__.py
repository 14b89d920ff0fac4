"""The web app: server-rendered pages on the same use cases as the API."""
