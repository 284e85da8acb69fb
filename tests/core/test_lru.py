"""The core's bounded caches forget the least recently used entry, however it was read."""

from designer.core.lru import Lru


def test_reading_keys_together_makes_them_the_most_recent():
    cache = Lru(3)
    cache.put_many({"a": 1, "b": 2, "c": 3})
    assert cache.get_many(["a", "b"]) == [1, 2]  # every key held
    cache.put("d", 4)
    assert cache.get_many(["a", "b", "c", "d"]) == [1, 2, None, 4]
    assert cache.get_many(["a", "x", None]) == [1, None, None]  # some missing
    cache.put("e", 5)
    assert cache.get("b") is None and cache.get("a") == 1
