import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_reset_link_by_e_mail_sets_a_new_password(client, editor, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = client.post("/accounts/password_reset/", {"email": editor.email})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new = "another-long-phrase-9"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    editor.refresh_from_db()
    assert editor.check_password(new)


def test_an_unknown_address_sends_nothing_and_says_the_same(client, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
