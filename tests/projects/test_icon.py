import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.projects.icons import IconError, clean_icon

pytestmark = pytest.mark.django_db

EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'onload="alert(1)"><script>alert(2)</script><image xlink:href="https://evil.example/x.png"/>'
    b'<rect width="4" height="4" fill="url(https://evil.example/#x)" onclick="x()"/>'
    b'<use href="#local"/></svg>'
)


def test_an_svg_loses_scripts_handlers_and_external_references():
    _, clean = clean_icon("i.svg", EVIL_SVG)
    text = clean.decode()
    for bad in ["script", "onload", "onclick", "evil.example"]:
        assert bad not in text
    assert 'href="#local"' in text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg/>', "DOCTYPE"),
        (b"<html></html>", "root element must be <svg>"),
        (b"GIF89a", "SVG or PNG"),
        (b"<svg", "not a valid SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 300_000, "256 KB"),
    ],
)
def test_bad_icons_are_refused_with_a_reason(data, reason):
    with pytest.raises(IconError, match=reason):
        clean_icon("icon.svg" if data.startswith(b"<") else "i.bin", data)


def test_an_uploaded_icon_becomes_the_plugin_and_provider_icon(client, editor, project):
    client.force_login(editor)
    upload = SimpleUploadedFile("logo.svg", EVIL_SVG, content_type="image/svg+xml")
    client.post(reverse("projects:upload_icon", args=[project.pk]), {"icon": upload})
    project.refresh_from_db()
    stored = base64.b64decode(project.spec["files"]["_assets/icon.svg"]["base64"])
    assert b"script" not in stored
    assert project.spec["provider"]["icon_small"] == {"en_US": "icon.svg"}
    shown = client.get(reverse("projects:icon", args=[project.pk]))
    assert shown["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in shown["Content-Security-Policy"]


def test_a_refused_upload_says_why_and_changes_nothing(client, editor, project):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.gif", b"GIF89a....", content_type="image/gif")
    response = client.post(
        reverse("projects:upload_icon", args=[project.pk]), {"icon": upload}, follow=True
    )
    assert "Icon refused" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 1
