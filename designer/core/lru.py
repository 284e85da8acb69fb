"""A bounded, thread-safe least-recently-used map (the core's caches of immutable things)."""

import threading
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from typing import Any


class Lru:
    """A bounded map that forgets the least recently used entry; safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def get_many(self, keys: Sequence[Any]) -> list[Any]:
        """The values of many keys under one lock (None for a key not held, or None)."""
        with self.lock:
            entries = self.entries
            found = list(map(entries.get, keys))
            if None not in found:  # the usual case: every key held, each made the most recent
                deque(map(entries.move_to_end, keys), maxlen=0)  # (a loop in C)
                return found
            for key, value in zip(keys, found, strict=True):
                if value is not None:
                    entries.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def put_many(self, items: Mapping[Any, Any]) -> None:
        with self.lock:
            self.entries.update(items)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
