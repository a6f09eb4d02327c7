"""The HL-blocks of DESIGN §4: every block, field, enumeration value, label and index.

Settings follow Bitrix's ``prepareSettings`` keys: string ``SIZE``/``ROWS``/``MAX_LENGTH``,
double ``PRECISION``, boolean ``DEFAULT_VALUE`` (0/1) and ``DISPLAY``, enumeration ``DISPLAY``.
Dates and datetimes keep Bitrix's defaults. Index names are ``ux_`` (unique) or ``ix_`` + table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ._model import Block, EnumValue, Field, FieldType, Index, Text, frozen_map

ROLE_VALUES: tuple[EnumValue, ...] = (
    EnumValue("owner", Text("Владелец", "Owner"), 10),
    EnumValue("buyer", Text("Закупщик", "Buyer"), 20),
    EnumValue("accountant", Text("Бухгалтер", "Accountant"), 30),
    EnumValue("viewer", Text("Наблюдатель", "Viewer"), 40),
)


def _f(
    name: str,
    type_: FieldType,
    ru: str,
    en: str,
    *,
    mandatory: bool = False,
    settings: Mapping[str, Any] | None = None,
    enum: tuple[EnumValue, ...] = (),
    help_ru: str | None = None,
    help_en: str | None = None,
) -> Field:
    help_text = Text(help_ru, help_en or help_ru) if help_ru else None
    return Field(
        name=name,
        type=type_,
        label=Text(ru, en),
        mandatory=mandatory,
        settings=frozen_map(settings),
        enum=enum,
        help=help_text,
    )


def _string(
    name: str, ru: str, en: str, *, size: int = 40, max_length: int = 0, **kw: Any
) -> Field:
    settings = {"SIZE": size, "ROWS": kw.pop("rows", 1), "MAX_LENGTH": max_length}
    return _f(name, "string", ru, en, settings=settings, **kw)


def _int(name: str, ru: str, en: str, **kw: Any) -> Field:
    return _f(name, "integer", ru, en, **kw)


def _money(name: str, ru: str, en: str, **kw: Any) -> Field:
    return _f(name, "double", ru, en, settings={"PRECISION": 2}, **kw)


def _bool(name: str, ru: str, en: str, *, default: int = 0, **kw: Any) -> Field:
    return _f(
        name, "boolean", ru, en, settings={"DEFAULT_VALUE": default, "DISPLAY": "CHECKBOX"}, **kw
    )


def _datetime(name: str, ru: str, en: str, **kw: Any) -> Field:
    return _f(name, "datetime", ru, en, **kw)


def _date(name: str, ru: str, en: str, **kw: Any) -> Field:
    return _f(name, "date", ru, en, **kw)


def _enum(name: str, ru: str, en: str, values: tuple[EnumValue, ...], **kw: Any) -> Field:
    return _f(name, "enumeration", ru, en, settings={"DISPLAY": "LIST"}, enum=values, **kw)


COMPANIES = Block(
    name="B2bCompanies",
    table="b2b_companies",
    title=Text("B2B: компании", "B2B: companies"),
    fields=(
        _string(
            "UF_XML_ID",
            "GUID контрагента в 1С",
            "1C counterparty GUID",
            mandatory=True,
            max_length=36,
            help_ru="Ключ синхронизации с 1С; не меняйте вручную",
            help_en="Sync key from 1C; do not edit by hand",
        ),
        _string("UF_NAME", "Название", "Name", mandatory=True, size=60),
        _string("UF_INN", "ИНН", "Taxpayer ID (INN)", size=12, max_length=12),
        _string("UF_KPP", "КПП", "Tax registration code (KPP)", size=9, max_length=9),
        _bool("UF_ACTIVE", "Активна", "Active", default=1),
        _int(
            "UF_MANAGER_ID",
            "Менеджер (ID пользователя)",
            "Manager (user ID)",
            help_ru="Пользователь Битрикса, который ведёт компанию",
            help_en="The Bitrix user who manages this company",
        ),
        _enum(
            "UF_APPROVAL_MODE",
            "Согласование заказов",
            "Order approval",
            (
                EnumValue("none", Text("Не требуется", "Not required"), 10, default=True),
                EnumValue("all", Text("Все заказы", "Every order"), 20),
                EnumValue("over_amount", Text("Заказы свыше порога", "Orders over threshold"), 30),
            ),
        ),
        _money(
            "UF_APPROVAL_THRESHOLD",
            "Порог согласования",
            "Approval threshold",
            help_ru="Сумма заказа, начиная с которой нужно согласование (режим «свыше порога»)",
            help_en="Order amount from which approval is needed (mode 'over threshold')",
        ),
        _money(
            "UF_OVERDUE_LIMIT",
            "Допустимая просрочка",
            "Allowed overdue amount",
            help_ru="Просроченный долг сверх этой суммы блокирует новые заказы",
            help_en="Overdue debt above this amount blocks new orders",
        ),
        _datetime("UF_UPDATED_AT", "Обновлено", "Updated at"),
    ),
    indexes=(Index("ux_b2b_companies_xml_id", ("UF_XML_ID",), unique=True),),
)

COMPANY_USERS = Block(
    name="B2bCompanyUsers",
    table="b2b_company_users",
    title=Text("B2B: сотрудники компаний", "B2B: company employees"),
    fields=(
        _int("UF_COMPANY_ID", "Компания", "Company", mandatory=True),
        _int("UF_USER_ID", "Пользователь", "User", mandatory=True),
        _enum("UF_ROLE", "Роль", "Role", ROLE_VALUES, mandatory=True),
        _bool("UF_ACTIVE", "Активен", "Active", default=1),
        _money(
            "UF_ORDER_LIMIT",
            "Лимит заказа",
            "Order limit",
            help_ru="Заказ сотрудника на большую сумму требует согласования; пусто — без лимита",
            help_en="An order of this member above it needs approval; empty: no limit",
        ),
        _datetime("UF_CREATED_AT", "Добавлен", "Added at"),
        _datetime(
            "UF_UPDATED_AT",
            "Изменён",
            "Changed at",
            help_ru="Когда менялись роль, активность или лимит; по нему b2bsync замечает изменения",
            help_en="When the role, activity or limit last changed; b2bsync finds changes by it",
        ),
    ),
    indexes=(
        Index("ux_b2b_company_users_company_user", ("UF_COMPANY_ID", "UF_USER_ID"), unique=True),
        Index("ix_b2b_company_users_user", ("UF_USER_ID",)),
        Index("ix_b2b_company_users_updated", ("UF_UPDATED_AT",)),
    ),
)

INVITES = Block(
    name="B2bInvites",
    table="b2b_invites",
    title=Text("B2B: приглашения", "B2B: invitations"),
    fields=(
        _int("UF_COMPANY_ID", "Компания", "Company", mandatory=True),
        _string("UF_EMAIL", "E-mail", "E-mail", mandatory=True, max_length=255),
        _enum("UF_ROLE", "Роль", "Role", ROLE_VALUES, mandatory=True),
        _string(
            "UF_TOKEN_HASH",
            "Хеш токена",
            "Token hash",
            mandatory=True,
            size=64,
            max_length=64,
            help_ru="SHA-256 токена из ссылки; сам токен не хранится",
            help_en="SHA-256 of the link's token; the token itself is never stored",
        ),
        _enum(
            "UF_STATUS",
            "Статус",
            "Status",
            (
                # requested: written by the cabinet (a row without a token); b2bsync then issues
                # the token and sets pending
                EnumValue("requested", Text("Запрошено", "Requested"), 5),
                EnumValue("pending", Text("Ожидает", "Pending"), 10, default=True),
                EnumValue("accepted", Text("Принято", "Accepted"), 20),
                EnumValue("revoked", Text("Отозвано", "Revoked"), 30),
                EnumValue("expired", Text("Истекло", "Expired"), 40),
            ),
        ),
        _int("UF_INVITED_BY", "Пригласил", "Invited by"),
        _datetime("UF_EXPIRES_AT", "Действует до", "Expires at"),
        _int("UF_ACCEPTED_USER_ID", "Принял (пользователь)", "Accepted by (user)"),
        _datetime("UF_CREATED_AT", "Создано", "Created at"),
    ),
    indexes=(
        Index("ux_b2b_invites_token_hash", ("UF_TOKEN_HASH",), unique=True),
        Index("ix_b2b_invites_company", ("UF_COMPANY_ID",)),
    ),
)

DOCUMENTS = Block(
    name="B2bDocuments",
    table="b2b_documents",
    title=Text("B2B: документы", "B2B: documents"),
    fields=(
        _string(
            "UF_XML_ID",
            "GUID документа в 1С",
            "1C document GUID",
            mandatory=True,
            max_length=36,
            help_ru="Ключ синхронизации с 1С; не меняйте вручную",
            help_en="Sync key from 1C; do not edit by hand",
        ),
        _int("UF_COMPANY_ID", "Компания", "Company", mandatory=True),
        _enum(
            "UF_DOC_TYPE",
            "Вид документа",
            "Document type",
            (
                EnumValue("invoice", Text("Счёт", "Invoice"), 10),
                EnumValue("waybill", Text("Накладная", "Waybill"), 20),
                EnumValue("reconciliation", Text("Акт сверки", "Reconciliation statement"), 30),
                EnumValue("upd", Text("УПД", "Universal transfer document"), 40),
                EnumValue("act", Text("Акт", "Certificate of services"), 50),
            ),
            mandatory=True,
        ),
        _string("UF_NUMBER", "Номер", "Number", mandatory=True, size=20),
        _date("UF_DATE", "Дата", "Date", mandatory=True),
        _money("UF_AMOUNT", "Сумма", "Amount"),
        _string("UF_CURRENCY", "Валюта", "Currency", size=3, max_length=3),
        _int("UF_ORDER_ID", "Заказ", "Order"),
        _f("UF_FILE_ID", "file", "Файл", "File"),
        _string(
            "UF_EXTERNAL_URL",
            "Ссылка на файл",
            "File link",
            size=60,
            help_ru="Если 1С не передала файл: ссылка на скачивание через b2bsync",
            help_en="When 1C sent no file: the download link through b2bsync",
        ),
        _string("UF_HASH", "Хеш содержимого", "Content hash", size=64, max_length=64),
        _bool("UF_DELETED", "Удалён в 1С", "Deleted in 1C"),
        _datetime("UF_SYNCED_AT", "Синхронизирован", "Synced at"),
    ),
    indexes=(
        Index("ux_b2b_documents_xml_id", ("UF_XML_ID",), unique=True),
        Index("ix_b2b_documents_company_date", ("UF_COMPANY_ID", "UF_DATE")),
    ),
)

CREDIT_STATUS = Block(
    name="B2bCreditStatus",
    table="b2b_credit_status",
    title=Text("B2B: кредитное состояние", "B2B: credit status"),
    fields=(
        _int("UF_COMPANY_ID", "Компания", "Company", mandatory=True),
        _money("UF_CREDIT_LIMIT", "Кредитный лимит", "Credit limit"),
        _money(
            "UF_CREDIT_USED",
            "Использовано",
            "Credit used",
            help_ru="Задолженность покупателя; отрицательная — аванс (предоплата)",
            help_en="The buyer's debt; negative: an advance payment (prepayment)",
        ),
        _money("UF_OVERDUE_AMOUNT", "Просрочено", "Overdue amount"),
        _date("UF_OVERDUE_SINCE", "Просрочка с", "Overdue since"),
        _money("UF_MONTH_ORDERS_AMOUNT", "Заказы за месяц", "Orders this month"),
        _string("UF_CURRENCY", "Валюта", "Currency", size=3, max_length=3),
        _datetime(
            "UF_SOURCE_AT",
            "Данные 1С на",
            "1C data as of",
            help_ru="Когда 1С рассчитала эти цифры",
            help_en="When 1C computed these figures",
        ),
        _datetime(
            "UF_SYNCED_AT",
            "Записано",
            "Written at",
            help_ru="Когда b2bsync записал строку",
            help_en="When b2bsync wrote this row",
        ),
        _bool("UF_ORDER_BLOCKED", "Заказы заблокированы", "Orders blocked"),
        _string("UF_BLOCK_REASON", "Причина блокировки", "Block reason", size=60),
    ),
    indexes=(Index("ux_b2b_credit_status_company", ("UF_COMPANY_ID",), unique=True),),
)

ORDER_COMMENTS = Block(
    name="OrderComments",
    table="order_comments",
    title=Text("Комментарии к заказам", "Order comments"),
    fields=(
        _int("UF_ORDER_ID", "Заказ", "Order", mandatory=True),
        _int("UF_USER_ID", "Автор", "Author", mandatory=True),
        _string("UF_TEXT", "Текст", "Text", mandatory=True, size=60, rows=5),
        _datetime("UF_CREATED_AT", "Создан", "Created at", mandatory=True),
        _bool(
            "UF_IS_INTERNAL",
            "Внутренний",
            "Internal",
            help_ru="Виден только менеджерам; покупатели его не видят и не получают уведомлений",
            help_en="Managers only: never shown or notified to buyers",
        ),
    ),
    indexes=(Index("ix_order_comments_order", ("UF_ORDER_ID",)),),
)

NOTIFICATIONS = Block(
    name="B2bNotifications",
    table="b2b_notifications",
    title=Text("B2B: уведомления", "B2B: notifications"),
    fields=(
        _int("UF_USER_ID", "Получатель", "Recipient", mandatory=True),
        _string("UF_TYPE", "Тип", "Type", mandatory=True, size=30),
        _string("UF_TEXT", "Текст", "Text", mandatory=True, size=60, rows=3),
        _string("UF_LINK", "Ссылка", "Link", size=60),
        _bool("UF_IS_READ", "Прочитано", "Read"),
        _datetime("UF_CREATED_AT", "Создано", "Created at", mandatory=True),
        _string(
            "UF_DEDUP_KEY",
            "Ключ дедупликации",
            "Deduplication key",
            size=60,
            max_length=255,
            help_ru="Одно уведомление с этим ключом доставляется один раз",
            help_en="A notification with this key is delivered once",
        ),
    ),
    indexes=(
        Index("ux_b2b_notifications_dedup_key", ("UF_DEDUP_KEY",), unique=True),
        Index("ix_b2b_notifications_user_read", ("UF_USER_ID", "UF_IS_READ")),
    ),
)

ORDER_EVENTS = Block(
    name="B2bOrderEvents",
    table="b2b_order_events",
    title=Text("B2B: журнал статусов заказов", "B2B: order status log"),
    fields=(
        _int("UF_ORDER_ID", "Заказ", "Order"),
        _string("UF_OLD_STATUS", "Прежний статус", "Old status", size=2, max_length=2),
        _string("UF_NEW_STATUS", "Новый статус", "New status", size=2, max_length=2),
        _int(
            "UF_USER_ID",
            "Кто изменил",
            "Changed by",
            help_ru="Пусто, если статус сменил агент или обмен с 1С",
            help_en="Empty when an agent or the 1C exchange changed the status",
        ),
        _string(
            "UF_REASON",
            "Причина",
            "Reason",
            size=60,
            max_length=1000,
            help_ru="Причина, указанная при отклонении заказа (или возврате статуса b2bsync)",
            help_en="The reason given when the order was rejected (or its status reverted)",
        ),
        _datetime("UF_CREATED_AT", "Когда", "When"),
    ),
    indexes=(Index("ix_b2b_order_events_order", ("UF_ORDER_ID",)),),
)

ORDER_FOLLOWERS = Block(
    name="B2bOrderFollowers",
    table="b2b_order_followers",
    title=Text("B2B: кто следит за заказами", "B2B: order followers"),
    fields=(
        _int("UF_ORDER_ID", "Заказ", "Order", mandatory=True),
        _int(
            "UF_USER_ID",
            "Сотрудник",
            "Employee",
            mandatory=True,
            help_ru="Получает уведомления о смене статуса заказа",
            help_en="Is notified whenever the order's status changes",
        ),
        _datetime("UF_CREATED_AT", "С какого времени", "Since"),
    ),
    indexes=(
        Index("ux_b2b_order_followers_order_user", ("UF_ORDER_ID", "UF_USER_ID"), unique=True),
    ),
)


def _numbered(block: Block) -> Block:
    """Field SORT in declaration order, so the admin form lists fields as declared here."""
    fields = tuple(replace(f, sort=(i + 1) * 100) for i, f in enumerate(block.fields))
    return replace(block, fields=fields)


BLOCKS: tuple[Block, ...] = tuple(
    _numbered(b)
    for b in (
        COMPANIES,
        COMPANY_USERS,
        INVITES,
        DOCUMENTS,
        CREDIT_STATUS,
        ORDER_COMMENTS,
        NOTIFICATIONS,
        ORDER_EVENTS,
        ORDER_FOLLOWERS,
    )
)
