"""The plugins that use a team's library definitions, as the library sees them.

The library sits below the app that keeps plugins (projects) and imports nothing from it. That
app registers a source here when it starts (``ProjectsConfig.ready``); the library asks the
source which plugins a team has and which definitions each uses, to show a definition's users,
filter by them, refuse to delete a definition in use, and import a plugin's models.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Plugin:
    key: str  # what forms and the used-by filter send for it
    name: str
    url: str  # its page
    uses: frozenset[int]  # pks of the library definitions it uses by reference
    record: Any = field(default=None, compare=False, repr=False)  # the source's own object


class PluginSource(Protocol):
    def plugins(self, team) -> list[Plugin]:
        """The team's plugins, by name."""

    def changed_since_last_build(self, plugin: Plugin) -> set[int]:
        """The definitions ``plugin`` uses whose current version its last build did not use."""

    def definitions(self, team, key: str) -> tuple[str, list[dict]] | None:
        """A plugin's name and its models as library definitions; None if the team has no
        plugin ``key``."""

    def add_url(self, definition_pk: int) -> str:
        """Where the form that adds a definition to one of the plugins posts."""


class NoPlugins:
    """The source while no app keeps plugins: nothing uses the library."""

    def plugins(self, team) -> list[Plugin]:
        return []

    def changed_since_last_build(self, plugin: Plugin) -> set[int]:
        return set()

    def definitions(self, team, key: str) -> tuple[str, list[dict]] | None:
        return None

    def add_url(self, definition_pk: int) -> str:
        return ""


_registered: list[PluginSource] = []


def register(plugin_source: PluginSource) -> None:
    _registered[:] = [plugin_source]


def source() -> PluginSource:
    return _registered[0] if _registered else NoPlugins()


def users_by_definition(team) -> dict[int, list[Plugin]]:
    """Library definition pk -> the team's plugins that use it, by name."""
    users: dict[int, list[Plugin]] = {}
    for plugin in source().plugins(team):
        for pk in plugin.uses:
            users.setdefault(pk, []).append(plugin)
    return users


def users_of(item) -> list[Plugin]:
    return users_by_definition(item.team_id).get(item.pk, [])
