"""The request body of an XML write, read with a size cap."""

from __future__ import annotations

from fastapi import Request

from leadbook.xmlapi.errors import PayloadTooLarge


async def xml_body(request: Request) -> bytes:
    """Returns the raw body, refusing one larger than the configured cap."""
    cap = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise PayloadTooLarge(f"The body is larger than {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise PayloadTooLarge(f"The body is larger than {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
