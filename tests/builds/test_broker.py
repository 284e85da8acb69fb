"""The filesystem broker of `make run` and the tests: a message is never seen half written."""

import os
from queue import Empty

import pytest
from kombu import Connection

from designer.builds import broker


@pytest.fixture
def channel(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    options["control_folder"] = str(tmp_path / "control")
    with Connection("filesystem://", transport=broker.Transport, transport_options=options) as c:
        yield c.default_channel


def test_a_message_goes_through_whole(channel):
    channel._put("builds", {"body": "x" * 100_000})
    assert channel._get("builds") == {"body": "x" * 100_000}
    with pytest.raises(Empty):
        channel._get("builds")


def test_a_consumer_cannot_take_a_message_before_it_is_written(channel, tmp_path, monkeypatch):
    seen_while_writing = []
    real_replace = os.replace

    def replace(source, target):
        assert os.path.getsize(source) > 0  # the whole message is in the hidden file
        try:
            seen_while_writing.append(channel._get("builds"))
        except Empty:
            seen_while_writing.append(None)
        real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace)
    channel._put("builds", {"n": 1})
    assert seen_while_writing == [None]
    assert channel._get("builds") == {"n": 1}
    assert [name for name in os.listdir(tmp_path) if name.endswith((".msg", ".tmp"))] == []
