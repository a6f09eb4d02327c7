"""Adapters that read counterparties, documents and credit from 1C, and a 1C fake.

One interface (:class:`OneCSource`), three adapters chosen by configuration (:func:`open_source`):
a 1C HTTP service (JSON), a 1C web service (SOAP, through zeep) and a folder of 1C export files
(CommerceML 2.x or b2bsync's plain XML). Every adapter yields the same normalised models, or
:class:`Quarantined` items for records that cannot be made valid. See ``onec_client/README.md``.
"""

from ._config import (
    FieldMapping,
    FieldPaths,
    FileMapping,
    HttpServiceConfig,
    ListMapping,
    RetryPolicy,
    SoapConfig,
    SourceConfig,
    Timeouts,
    TimeZoneName,
    XmlDropConfig,
)
from ._drop import XmlDropSource
from ._errors import (
    ExportFileError,
    OneCAuthError,
    OneCConfigError,
    OneCEndpointNotFound,
    OneCError,
    OneCFatalError,
    OneCFileUnavailable,
    OneCNetworkError,
    OneCNotFound,
    OneCProtocolError,
    OneCRetryableError,
    OneCServerError,
    OneCSkippableError,
    OneCTimeoutError,
)
from ._http import HttpServiceSource
from ._models import (
    Counterparty,
    CounterpartyItem,
    CreditItem,
    CreditStatus,
    DocType,
    Document,
    DocumentFile,
    DocumentItem,
    Quarantined,
    Record,
    RecordKind,
    parse_doc_type,
    safe_file_stem,
)
from ._open import open_source
from ._records import Normaliser
from ._soap import SoapSource
from ._source import CheckReport, OneCSource
from ._xml import ExportFormat, read_export, sniff_format

__all__ = [
    "CheckReport",
    "Counterparty",
    "CounterpartyItem",
    "CreditItem",
    "CreditStatus",
    "DocType",
    "Document",
    "DocumentFile",
    "DocumentItem",
    "ExportFileError",
    "ExportFormat",
    "FieldMapping",
    "FieldPaths",
    "FileMapping",
    "HttpServiceConfig",
    "HttpServiceSource",
    "ListMapping",
    "Normaliser",
    "OneCAuthError",
    "OneCConfigError",
    "OneCEndpointNotFound",
    "OneCError",
    "OneCFatalError",
    "OneCFileUnavailable",
    "OneCNetworkError",
    "OneCNotFound",
    "OneCProtocolError",
    "OneCRetryableError",
    "OneCServerError",
    "OneCSkippableError",
    "OneCSource",
    "OneCTimeoutError",
    "Quarantined",
    "Record",
    "RecordKind",
    "RetryPolicy",
    "SoapConfig",
    "SoapSource",
    "SourceConfig",
    "TimeZoneName",
    "Timeouts",
    "XmlDropConfig",
    "XmlDropSource",
    "open_source",
    "parse_doc_type",
    "read_export",
    "safe_file_stem",
    "sniff_format",
]
