"""The ``.xml`` transport: the same answer as nested elements (``<response><result>…``).

Lists print as ``<item>`` elements, ``null``/``false`` as empty elements, ``true`` as ``1`` and
floats with PHP's ``precision=14`` (``1795483078.8217``), as the rest module's XML output does.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from ._envelope import php_view

_EXPONENT = re.compile(r"E([+-])0*(\d)")


def php_float(value: float) -> str:
    text = format(value, ".14G")
    return _EXPONENT.sub(lambda m: "E" + ("-" if m.group(1) == "-" else "+") + m.group(2), text)


def _scalar(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        return php_float(value)
    return escape(str(value), {'"': "&quot;", "'": "&#039;"})


def _element(name: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_element(_tag(key), item) for key, item in value.items())
    elif isinstance(value, list):
        inner = "".join(_element("item", item) for item in value)
    else:
        inner = _scalar(value)
    return f"<{name}>{inner}</{name}>"


def encode_xml(body: dict[str, Any]) -> bytes:
    view = php_view(body)
    if isinstance(view, list):
        view = {str(i): v for i, v in enumerate(view)}
    inner = "".join(_element(_tag(key), value) for key, value in view.items())
    return f"<response>{inner}</response>".encode()


def _tag(key: str) -> str:
    return "item" if key.lstrip("-").isdigit() else key
