"""A stateful fake of a 1C:Enterprise infobase's integration surfaces.

An ASGI app (:class:`FakeOneC`) serving the HTTP service of b2bsync's contract, a differently
shaped HTTP service, and a SOAP web service with its 1C-style WSDL; a seeded dataset generator;
writers of CommerceML and plain-XML export files; switchable quirks and deterministic faults; and
:func:`serve` to run it on 127.0.0.1.
"""

from ._app import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    HTTP_PREFIX,
    LEGACY_PREFIX,
    PUBLICATION,
    SOAP_PATH,
    FakeOneC,
    LoggedRequest,
)
from ._dataset import (
    AS_OF,
    KINDS_1C,
    Dataset,
    FakeCounterparty,
    FakeCredit,
    FakeDocument,
    FakeFile,
    GoodsLine,
    generate,
    make_document,
    stream_documents,
)
from ._export import CML_NS, PLAIN_NS, ExportStyle, export_dataset, write_commerceml, write_plain
from ._faults import FAULT_KINDS, FaultKind, FaultPlan, Quirks
from ._pdf import make_pdf
from ._serve import LoopbackFake, ServedFake, env_lines, serve
from ._wsdl import INTERNAL_ADDRESS, SERVICE, TNS, V8_NS, render_wsdl

__all__ = [
    "AS_OF",
    "CML_NS",
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "FAULT_KINDS",
    "HTTP_PREFIX",
    "INTERNAL_ADDRESS",
    "KINDS_1C",
    "LEGACY_PREFIX",
    "PLAIN_NS",
    "PUBLICATION",
    "SERVICE",
    "SOAP_PATH",
    "TNS",
    "V8_NS",
    "Dataset",
    "ExportStyle",
    "FakeCounterparty",
    "FakeCredit",
    "FakeDocument",
    "FakeFile",
    "FakeOneC",
    "FaultKind",
    "FaultPlan",
    "GoodsLine",
    "LoggedRequest",
    "LoopbackFake",
    "Quirks",
    "ServedFake",
    "env_lines",
    "export_dataset",
    "generate",
    "make_document",
    "make_pdf",
    "render_wsdl",
    "serve",
    "stream_documents",
    "write_commerceml",
    "write_plain",
]
