"""Request parameters as a PHP site sees them.

Form bodies, query strings and batch ``cmd`` strings go through :func:`parse_str`, a port of
PHP's ``php_default_treat_data`` + ``php_register_variable_ex``. Its quirks matter on the wire: the
pair is split at the first *raw* ``=`` before percent-decoding, so a literal ``filter[>=id]=10``
yields the name ``filter[>`` whose bracket never closes; PHP then turns that ``[`` into ``_`` and
the filter lands under the key ``filter_>`` — silently lost.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import unquote_plus

from ._php import PhpArray, php_key, to_php

MAX_INPUT_VARS = 1000
MAX_NESTING_LEVEL = 64


def parse_str(
    data: str, *, max_vars: int = MAX_INPUT_VARS, max_depth: int = MAX_NESTING_LEVEL
) -> PhpArray:
    """PHP ``parse_str``: ``&``-separated pairs, nested keys ``a[b][]``, PHP's name mangling."""
    out = PhpArray()
    count = 0
    for pair in data.split("&"):
        if not pair:
            continue
        count += 1
        if count > max_vars:
            break
        raw_name, sep, raw_value = pair.partition("=")
        name = unquote_plus(raw_name, errors="replace").split("\0", 1)[0]
        value = unquote_plus(raw_value, errors="replace") if sep else ""
        register_variable(out, name, value, max_depth=max_depth)
    return out


def register_variable(
    target: PhpArray, name: str, value: Any, *, max_depth: int = MAX_NESTING_LEVEL
) -> None:
    """Store ``value`` under the PHP variable name ``name`` (``a``, ``a[b]``, ``a[]``…)."""
    name = name.lstrip(" ")
    base_chars: list[str] = []
    pos = 0
    bracket = False
    while pos < len(name):
        char = name[pos]
        if char == "[":
            bracket = True
            break
        base_chars.append("_" if char in " ." else char)
        pos += 1
    base = "".join(base_chars)
    if not base:
        return
    if not bracket:
        target.set(base, value)
        return

    table = target
    index: str | None = base
    depth = 0
    # pos points at a '['
    while True:
        depth += 1
        if depth > max_depth:
            target.pop(php_key(base), None)
            return
        start = pos + 1
        cursor = start
        if cursor < len(name) and name[cursor] == " ":
            cursor += 1
        new_index: str | None
        if cursor < len(name) and name[cursor] == "]":
            new_index = None
            close = cursor
        else:
            close = name.find("]", cursor)
            if close < 0:
                if depth == 1:
                    rest = "".join("_" if c in " .[" else c for c in name[start:])
                    index = f"{base}_{rest}"
                _store(table, index, value)
                return
            new_index = name[start:close]
        table = _descend(table, index)
        index = new_index
        pos = close + 1
        if pos < len(name) and name[pos] == "[":
            continue
        _store(table, index, value)
        return


def _descend(table: PhpArray, index: str | None) -> PhpArray:
    if index is None:
        child = PhpArray()
        table.append(child)
        return child
    key = php_key(index)
    existing = table.get(key)
    if isinstance(existing, PhpArray):
        return existing
    child = PhpArray()
    table.set(key, child)
    return child


def _store(table: PhpArray, index: str | None, value: Any) -> None:
    if index is None:
        table.append(value)
    else:
        table.set(index, value)


def decode_json(body: bytes) -> PhpArray:
    """``json_decode($body, true)``; anything but a JSON object gives no params."""
    try:
        decoded = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        return PhpArray()
    if not isinstance(decoded, dict):
        return PhpArray()
    result = to_php(decoded)
    assert isinstance(result, PhpArray)
    return result


def decode_multipart(content_type: str, body: bytes) -> PhpArray:
    """``$_POST`` of a multipart body: its plain fields (file parts go to ``$_FILES``)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    out = PhpArray()
    if not message.is_multipart():
        return out
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename() is not None:
            continue
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
        register_variable(out, name, text)
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


def is_json_content_type(content_type: str | None) -> bool:
    return content_type is not None and "application/json" in content_type.lower()


def decode_request(query_string: str, content_type: str | None, body: bytes) -> PhpArray:
    """The request's params: the query string, overlaid at top level by the body (body wins)."""
    params = parse_str(query_string) if query_string else PhpArray()
    if is_json_content_type(content_type):
        body_params = decode_json(body)
    elif content_type is not None and content_type.lower().startswith("multipart/form-data"):
        body_params = decode_multipart(content_type, body)
    else:
        body_params = parse_str(body.decode("utf-8", errors="replace")) if body else PhpArray()
    for key, value in body_params.items():
        params.set(key, value)
    return params
