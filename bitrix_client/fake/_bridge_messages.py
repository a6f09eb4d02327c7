"""The bridge's error descriptions in the site's language (``lang/*/lib/restservice.php`` of the
module; a test keeps the two in step). The rest module answers in the site's language, so a
Russian site says "Неверный параметр: …" where an English one says "Bad parameter: …": match on
``error``, never on ``error_description``.
"""

from __future__ import annotations

DETAIL = "#DETAIL#"

#: code → (ru, en); ``#DETAIL#`` is the bridge's own one-line reason.
MESSAGES: dict[str, tuple[str, str]] = {
    "ERROR_ARGUMENT": ("Неверный параметр: #DETAIL#", "Bad parameter: #DETAIL#"),
    "ERROR_NOT_FOUND": ("Не найдено: #DETAIL#", "Not found: #DETAIL#"),
    "ERROR_CORE": ("Ошибка ядра: #DETAIL#", "Core error: #DETAIL#"),
    "ERROR_METHOD_NOT_FOUND": ("Метод не найден", "Method not found"),
    "ERROR_HLBLOCK_NAME": (
        "Недопустимое имя HL-блока: #DETAIL#",
        "Invalid HL-block name: #DETAIL#",
    ),
    "ERROR_HLBLOCK_TABLE_NAME": (
        "Недопустимое имя таблицы HL-блока: #DETAIL#",
        "Invalid HL-block table name: #DETAIL#",
    ),
    "ERROR_HLBLOCK_EXISTS": (
        "HL-блок или таблица уже существует: #DETAIL#",
        "The HL-block or table exists: #DETAIL#",
    ),
    "ERROR_FIELD_NAME": ("Недопустимое имя поля: #DETAIL#", "Invalid field name: #DETAIL#"),
    "ERROR_FIELD_EXISTS": ("Поле уже существует: #DETAIL#", "The field exists: #DETAIL#"),
    "ERROR_FIELD_TYPE": ("Неизвестный тип поля: #DETAIL#", "Unknown field type: #DETAIL#"),
    "ERROR_FIELD_IMMUTABLE": (
        "Свойство поля нельзя изменить: #DETAIL#",
        "This property of a field cannot change: #DETAIL#",
    ),
    "ERROR_INDEX_NAME": ("Недопустимое имя индекса: #DETAIL#", "Invalid index name: #DETAIL#"),
    "ERROR_INDEX_CONFLICT": (
        "Индекс с таким именем устроен иначе: #DETAIL#",
        "An index of that name differs: #DETAIL#",
    ),
    "ERROR_INDEX_DUPLICATE_ROWS": (
        "Уникальный индекс невозможен, значения повторяются: #DETAIL#",
        "The unique index is impossible, values repeat: #DETAIL#",
    ),
    "ERROR_VALIDATION": (
        "Значение не подходит полю: #DETAIL#",
        "A value does not fit its field: #DETAIL#",
    ),
    "ERROR_DUPLICATE": (
        "Нарушение уникального индекса: #DETAIL#",
        "A unique index is violated: #DETAIL#",
    ),
    "ERROR_UPSERT_KEY": ("Неверный KEY: #DETAIL#", "Bad KEY: #DETAIL#"),
    "ERROR_UPSERT_AMBIGUOUS": (
        "KEY находит несколько записей: #DETAIL#",
        "KEY finds several rows: #DETAIL#",
    ),
    "ERROR_USER_EXISTS": ("Пользователь уже существует: #DETAIL#", "The user exists: #DETAIL#"),
    "ERROR_USER_ADD": ("Пользователь не создан: #DETAIL#", "The user was not created: #DETAIL#"),
    "ERROR_BUSY": (
        "Запись с этим ключом уже идёт, повторите позже: #DETAIL#",
        "A write of this key is running, retry later: #DETAIL#",
    ),
    "ERROR_ACCESS_DENIED": ("Доступ запрещён: #DETAIL#", "Access denied: #DETAIL#"),
    "ERROR_TEMPLATE_UNSAFE": (
        "Почтовый шаблон отклонён: #DETAIL#",
        "The mail template is refused: #DETAIL#",
    ),
}


def describe(code: str, detail: str, language_id: str) -> str:
    """``error_description`` of ``code`` on a site whose language is ``language_id``."""
    texts = MESSAGES.get(code)
    if texts is None:
        return detail
    text = texts[0] if language_id == "ru" else texts[1]
    return text.replace(DETAIL, detail)
