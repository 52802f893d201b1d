"""Reading a message's MIME: the sender, the text (plain preferred, HTML as text), the
ids it replies to; what cannot be read as mail from someone is refused."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from leadbook.smtp.parse import MalformedMail, parse


def _message(**headers: str) -> EmailMessage:
    message = EmailMessage()
    for name, value in {"From": "ada@x.test", "Subject": "Hi", **headers}.items():
        message[name.replace("_", "-")] = value
    return message


def test_plain_text_is_preferred_to_html():
    message = _message(From='"Lovelace, Ada" <ada@x.test>', Subject="Quote  please")
    message.set_content("plain\r\nbody")
    message.add_alternative("<p>html body</p>", subtype="html")
    mail = parse(message.as_bytes(), "ada@x.test")
    assert (mail.sender, mail.name, mail.subject) == ("ada@x.test", "Lovelace, Ada", "Quote please")
    assert mail.text == "plain\nbody\n"


def test_html_alone_is_turned_into_text():
    message = _message()
    message.set_content(
        "<html><style>p {color: red}</style><body><p>Dear <b>team</b>,</p>"
        "<p>a&amp;b<br>c</p><script>alert(1)</script></body></html>",
        subtype="html",
    )
    text = parse(message.as_bytes(), "ada@x.test").text
    assert "Dear team," in text and "a&b\nc" in text
    assert "color" not in text and "alert" not in text and "<" not in text


def test_ids_of_the_message_and_of_those_it_replies_to():
    raw = (
        b"From: ada@x.test\r\nMessage-ID: <m3@x.test>\r\nIn-Reply-To: <m2@y.test>\r\n"
        b"References: <m1@x.test>\r\n <m2@y.test>\r\n\r\nx\r\n"
    )
    mail = parse(raw, "")
    assert mail.message_id == "m3@x.test"
    assert mail.refers_to == ("m2@y.test", "m1@x.test")
    assert mail.reverse_path == ""


def test_an_undecodable_charset_is_shown_not_refused():
    raw = b"From: ada@x.test\r\nSubject: caf\xe9\r\nContent-Type: text/plain\r\n\r\n"
    raw += b"caf\xe9 \x00ok\r\n"
    mail = parse(raw, "ada@x.test")
    assert mail.text.startswith("caf") and "\x00" not in mail.text
    mail.text.encode()  # no lone surrogates left
    mail.subject.encode()


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: none\r\n\r\nNo sender.\r\n",
        b"From: Ada\r\nSubject: x\r\n\r\nNo address.\r\n",
        b"From: <>\r\nSubject: x\r\n\r\nEmpty.\r\n",
        b"From: a@x.test, b@x.test\r\n\r\nTwo.\r\n",
        b"From: ada@x.test\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\nx\r\n",
    ],
    ids=["no-from", "no-address", "empty", "two", "unknown-charset"],
)
def test_what_is_not_mail_from_someone_is_refused(raw):
    with pytest.raises(MalformedMail):
        parse(raw, "x@y.test")
