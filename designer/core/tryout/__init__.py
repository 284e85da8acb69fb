"""Test connection: the plugin's own code, loaded by Dify's SDK, calls the user's API."""

from .plan import TryoutInputError
from .run import Check, check_connection

__all__ = ["Check", "TryoutInputError", "check_connection"]
