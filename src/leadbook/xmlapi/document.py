"""XML on the wire: a safe reader for ``<lead>`` bodies and a writer in the layout clients
expect (2-space indent, one element per line, no attributes on leaves, ``<tag></tag>``)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from leadbook.domain.errors import InvalidValue
from leadbook.xmlapi.errors import MalformedXml

PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'
# characters XML 1.0 cannot carry at all; written out as U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})

Fields = Sequence[tuple[str, str]]


def read_object(body: bytes, root: str, known: Container[str]) -> tuple[dict[str, str], list[str]]:
    """Returns the text of each ``known`` child of the ``<root>`` document in ``body``, by
    tag, and the tags of the other children, which are left unread (as incwo does).

    DTDs are refused outright (no entity expansion, no external entities); a known child
    that holds elements, or is given twice, is refused too.
    """
    if not body.strip():
        raise MalformedXml(f"The request body is empty: send a <{root}> document")
    try:
        element: Element = fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise MalformedXml("Documents with a DTD or entity declarations are refused") from exc
    except ParseError as exc:
        raise MalformedXml(f"The body is not well-formed XML: {exc}") from exc
    except (LookupError, ValueError) as exc:  # an encoding the parser cannot read (UTF-7 …)
        raise MalformedXml(f"The body's declared encoding cannot be read: {exc}") from exc
    if element.tag != root:
        raise MalformedXml(f"The root element must be <{root}>, not <{element.tag}>")
    if (element.text or "").strip():
        raise InvalidValue(f"<{root}> holds text outside its elements")
    fields: dict[str, str] = {}
    ignored: list[str] = []
    for child in element:
        if (child.tail or "").strip():
            raise InvalidValue(f"<{root}> holds text outside its elements")
        if child.tag not in known:
            if child.tag not in ignored:
                ignored.append(child.tag)
            continue
        if len(child):
            raise InvalidValue(f"<{child.tag}> must hold text, not elements")
        if child.tag in fields:
            raise InvalidValue(f"<{child.tag}> is given more than once")
        fields[child.tag] = child.text or ""
    return fields, ignored


def escape(text: str) -> str:
    """Returns ``text`` safe inside an element."""
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


def object_lines(tag: str, fields: Fields, depth: int = 0) -> list[str]:
    """Returns the lines of ``<tag>`` holding one leaf per field, indented by ``depth``."""
    pad = "  " * depth
    lines = [f"{pad}<{tag}>"]
    lines += [f"{pad}  <{name}>{escape(value)}</{name}>" for name, value in fields]
    lines.append(f"{pad}</{tag}>")
    return lines


def render_object(tag: str, fields: Fields) -> bytes:
    """Returns a whole document made of one object."""
    return _document(object_lines(tag, fields))


def render_list(
    tag: str, item_tag: str, items: Sequence[Fields], current_page: int, total_pages: int
) -> bytes:
    """Returns a ``<tag type="array">`` document: the items, then incwo's pagination."""
    lines = [f'<{tag} type="array">']
    for fields in items:
        lines += object_lines(item_tag, fields, depth=1)
    pagination = [
        ("current_page", str(current_page)),
        ("total_pages", str(total_pages)),
        ("current_page_items_count", str(len(items))),
    ]
    lines += object_lines("pagination", pagination, depth=1)
    lines.append(f"</{tag}>")
    return _document(lines)


def render_errors(messages: Iterable[str]) -> bytes:
    """Returns an ``<errors>`` document holding one ``<error>`` per message."""
    return _document(object_lines("errors", [("error", m) for m in messages]))


def _document(lines: list[str]) -> bytes:
    return (PROLOG + "\n".join(lines) + "\n").encode()
