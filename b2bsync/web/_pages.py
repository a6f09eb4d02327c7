"""Short HTML pages in Russian and English: every answer a browser may see that is not the file
itself (a link that expired, a document that is gone, 1C being down). Jinja2 with autoescape;
the texts live here, one table per language with the same keys, and the page's language follows
the browser's ``Accept-Language`` (Russian when it prefers neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

LANGUAGES = ("ru", "en")

TEXTS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "ru": {
        "link_invalid": (
            "Ссылка недействительна",
            "Откройте документ из личного кабинета: ссылка на скачивание личная и подписанная.",
        ),
        "link_expired": (
            "Срок действия ссылки истёк",
            "Обновите страницу документов в личном кабинете и скачайте файл снова.",
        ),
        "not_allowed": (
            "Нет доступа к документу",
            "Документы компании доступны владельцам и бухгалтерам. Обратитесь к владельцу "
            "компании.",
        ),
        "not_found": ("Документ не найден", "Документ удалён или больше не доступен."),
        "no_file": ("Файла нет", "Для этого документа в 1С нет печатной формы."),
        "unavailable": (
            "Сервис временно недоступен",
            "Учётная система не отвечает. Попробуйте через минуту.",
        ),
        "page_not_found": ("Страница не найдена", "Проверьте адрес."),
        "error": ("Что-то пошло не так", "Мы уже знаем об ошибке. Попробуйте позже."),
    },
    "en": {
        "link_invalid": (
            "This link is not valid",
            "Open the document from your account: download links are personal and signed.",
        ),
        "link_expired": (
            "This link has expired",
            "Reload the documents page in your account and download the file again.",
        ),
        "not_allowed": (
            "You may not download this document",
            "A company's documents are for its owners and accountants. Ask the company's owner.",
        ),
        "not_found": ("Document not found", "The document was removed or is no longer available."),
        "no_file": ("No file", "1C has no printable form for this document."),
        "unavailable": (
            "Temporarily unavailable",
            "The accounting system does not answer. Please try again in a minute.",
        ),
        "page_not_found": ("Page not found", "Check the address."),
        "error": ("Something went wrong", "The error was logged. Please try again later."),
    },
}

_TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
    )
)


def render(
    request: Request, template: str, context: dict[str, object], **kwargs: object
) -> HTMLResponse:
    """Another template of ``templates/`` (the same environment: autoescape on)."""
    return _TEMPLATES.TemplateResponse(request, template, context, **kwargs)  # type: ignore[arg-type]


def language(request: Request, default: str = "ru") -> str:
    """The first language of ``Accept-Language`` the pages have (q-values respected)."""
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else default


def message_page(
    request: Request,
    status: int,
    code: str,
    *,
    default_language: str = "ru",
    headers: Mapping[str, str] | None = None,
    texts: Mapping[str, Mapping[str, tuple[str, str]]] = TEXTS,
) -> HTMLResponse:
    """A short page saying what happened (``code`` is a key of :data:`TEXTS`, or of the
    ``texts`` given: a page's own table with the same shape)."""
    lang = language(request, default_language)
    title, text = texts[lang][code]
    return _TEMPLATES.TemplateResponse(
        request,
        "message.html",
        {"lang": lang, "title": title, "text": text, "status": status, "code": code},
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


__all__ = ["LANGUAGES", "TEXTS", "language", "message_page", "render"]
