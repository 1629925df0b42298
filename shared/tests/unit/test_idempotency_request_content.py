"""What an Idempotency-Key's request hash covers: a multipart upload's parts, not its random boundary."""

from __future__ import annotations

import httpx

from shared.http.idempotency import request_content


def multipart(content: bytes, *, filename: str = "现场.jpg", phase: str = "before") -> tuple[str, bytes]:
    """The content type and body httpx sends for a photo upload (a new random boundary each call)."""
    request = httpx.Request(
        "POST",
        "http://test/photos",
        data={"phase": phase},
        files={"file": (filename, content, "image/jpeg")},
    )
    return request.headers["content-type"], request.read()


def test_a_resent_upload_is_the_same_request_although_its_boundary_differs() -> None:
    """Two sends of one upload differ in bytes (boundary) and agree in content; any part changing differs."""
    photo = b"\xff\xd8\xff\r\n--not-a-boundary\r\n\r\n" + bytes(range(256))
    first, resent = multipart(photo), multipart(photo)
    assert first[1] != resent[1]
    assert request_content(*first) == request_content(*resent)
    assert request_content(*first) != request_content(*multipart(photo + b"\x00"))
    assert request_content(*first) != request_content(*multipart(photo, filename="b.jpg"))
    assert request_content(*first) != request_content(*multipart(photo, phase="after"))


def test_other_bodies_are_compared_by_their_bytes() -> None:
    """JSON is its bytes; a truncated or boundary-less multipart body falls back to its bytes too."""
    assert request_content("application/json", b'{"a": 1}') == b'{"a": 1}'
    content_type, body = multipart(b"\xff\xd8\xff")
    truncated = body[: len(body) // 2]
    assert request_content(content_type, truncated) == truncated
    assert request_content("multipart/form-data", body) == body
