"""Exceptions the core raises for input it refuses."""


class PluginSourceError(ValueError):
    """A plugin source (folder, archive, YAML file) was refused; the message is one line."""
