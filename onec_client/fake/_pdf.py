"""Minimal, valid, deterministic PDF files for the fake's documents."""

from __future__ import annotations

import hashlib


def _pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16BE with BOM, hex-encoded (any script, no escaping issues)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _ascii_line(text: str) -> bytes:
    safe = "".join(ch if 32 <= ord(ch) < 127 and ch not in "()\\" else "?" for ch in text)
    return safe.encode("ascii")


def make_pdf(title: str, lines: list[str], *, pad_to: int = 0) -> bytes:
    """One A4 page showing ``lines`` (non-ASCII shown as ``?``), ``title`` in the Info dictionary.

    ``pad_to`` grows the file to at least that many bytes with a deterministic binary stream, so
    tests and benchmarks can have multi-megabyte documents.
    """
    content = (
        b"BT /F1 12 Tf 72 770 Td 14 TL\n"
        + b"".join(b"(" + _ascii_line(line) + b") Tj T*\n" for line in lines)
        + b"ET\n"
    )
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title " + _pdf_text(title) + b" /Producer (b2bsync 1C fake) >>",
    ]
    if pad_to > 0:
        seed = hashlib.sha256(title.encode("utf-8", "surrogatepass")).digest()
        block = b"".join(hashlib.sha256(seed + bytes([i])).digest() for i in range(128))
        filler = (block * (pad_to // len(block) + 1))[:pad_to]
        objects.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)
