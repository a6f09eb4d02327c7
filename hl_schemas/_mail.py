"""Mail event types b2bsync sends through ``b2bsync.mail.send``, with ru/en templates.

Each event type's DESCRIPTION lists its ``#FIELDS#``: it is what a template editor reads in the
admin panel (Settings → Mail events). ``#SITE_NAME#``, ``#SERVER_NAME#`` and
``#DEFAULT_EMAIL_FROM#`` are Bitrix's own and available in every template. Code that sends an
event passes exactly the fields declared here (:meth:`MailEvent.field_names`).

Templates carry ``LANGUAGE_ID``: Bitrix sends every active template of the event and site whose
language matches the event's ``LANGUAGE_ID`` or is empty — so a send without a language would
deliver both the Russian and the English mail.
"""

from __future__ import annotations

from ._model import MailEvent, MailField, MailTemplate, Text

_EMAIL_TO = MailField("EMAIL_TO", Text("e-mail получателя", "recipient's e-mail"))
_USER_NAME = MailField("USER_NAME", Text("имя получателя", "recipient's name"))
_COMPANY = MailField("COMPANY_NAME", Text("название компании", "company name"))
_ORDER_ID = MailField("ORDER_ID", Text("ID заказа", "order ID"))
_ORDER_NUMBER = MailField("ORDER_NUMBER", Text("номер заказа", "order number"))
_ORDER_DATE = MailField("ORDER_DATE", Text("дата заказа", "order date"))
_ORDER_AMOUNT = MailField(
    "ORDER_AMOUNT", Text("сумма заказа с валютой", "order amount with currency")
)
_ORDER_URL = MailField(
    "ORDER_URL", Text("ссылка на заказ в кабинете", "link to the order in the cabinet")
)
_STATUS_NAME = MailField("STATUS_NAME", Text("название нового статуса", "new status name"))

_ORDER_FIELDS = (_EMAIL_TO, _USER_NAME, _COMPANY, _ORDER_ID, _ORDER_NUMBER, _ORDER_DATE)


def _event(
    name: str,
    title: Text,
    purpose: Text,
    fields: tuple[MailField, ...],
    ru: tuple[str, str],
    en: tuple[str, str],
) -> MailEvent:
    return MailEvent(
        name=name,
        title=title,
        purpose=purpose,
        fields=fields,
        templates={"ru": MailTemplate(*ru), "en": MailTemplate(*en)},
    )


_SIGN_RU = "\n\n--\nСообщение сгенерировано автоматически, #SITE_NAME# (#SERVER_NAME#)."
_SIGN_EN = "\n\n--\nThis message was generated automatically by #SITE_NAME# (#SERVER_NAME#)."

MAIL_EVENTS: tuple[MailEvent, ...] = (
    _event(
        "B2B_COMPANY_INVITE",
        Text("B2B: приглашение в компанию", "B2B: company invitation"),
        Text(
            "Приглашение сотрудника в B2B-кабинет компании. Ссылка одноразовая.",
            "Invites an employee into a company's B2B cabinet. The link works once.",
        ),
        (
            _EMAIL_TO,
            _COMPANY,
            MailField("ROLE_NAME", Text("роль в компании", "role in the company")),
            MailField("INVITED_BY_NAME", Text("кто пригласил", "who sent the invitation")),
            MailField("INVITE_URL", Text("ссылка для принятия", "link to accept")),
            MailField("EXPIRES_AT", Text("срок действия ссылки", "when the link expires")),
        ),
        (
            "#SITE_NAME#: приглашение в компанию #COMPANY_NAME#",
            "Здравствуйте!\n\n#INVITED_BY_NAME# приглашает вас в B2B-кабинет компании "
            "#COMPANY_NAME# с ролью «#ROLE_NAME#».\n\nЧтобы принять приглашение, откройте "
            "ссылку:\n#INVITE_URL#\n\nСсылка действует до #EXPIRES_AT# и работает один раз."
            + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: invitation to #COMPANY_NAME#",
            "Hello,\n\n#INVITED_BY_NAME# invites you to the B2B cabinet of #COMPANY_NAME# "
            "as #ROLE_NAME#.\n\nTo accept, open this link:\n#INVITE_URL#\n\nThe link is valid "
            "until #EXPIRES_AT# and works once." + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_CREATED",
        Text("B2B: новый заказ компании", "B2B: new company order"),
        Text(
            "Сотрудник компании оформил заказ; письмо получают он сам и, для сведения, "
            "владельцы компании.",
            "An employee placed an order; sent to them and, for information, to the company's "
            "owners.",
        ),
        (
            *_ORDER_FIELDS,
            _ORDER_AMOUNT,
            MailField("BUYER_NAME", Text("кто оформил заказ", "who placed the order")),
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: новый заказ №#ORDER_NUMBER# компании #COMPANY_NAME#",
            "Здравствуйте, #USER_NAME#!\n\n#BUYER_NAME# оформил(а) заказ №#ORDER_NUMBER# от "
            "#ORDER_DATE# на сумму #ORDER_AMOUNT#.\n\nЗаказ в кабинете: #ORDER_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: new order #ORDER_NUMBER# of #COMPANY_NAME#",
            "Hello #USER_NAME#,\n\n#BUYER_NAME# placed order #ORDER_NUMBER# of #ORDER_DATE# "
            "for #ORDER_AMOUNT#.\n\nThe order in the cabinet: #ORDER_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_APPROVAL_REQUIRED",
        Text("B2B: заказ ждёт согласования", "B2B: order needs approval"),
        Text(
            "Заказ компании требует согласования; письмо получают владельцы компании.",
            "A company order needs approval; sent to the company's owners.",
        ),
        (
            *_ORDER_FIELDS,
            _ORDER_AMOUNT,
            MailField("BUYER_NAME", Text("кто оформил заказ", "who placed the order")),
            MailField(
                "APPROVAL_REASON",
                Text("почему нужно согласование", "why approval is needed"),
            ),
            MailField(
                "APPROVE_URL",
                Text(
                    "ссылка «согласовать» (одноразовая, с подтверждением)",
                    "one-click approve link (works once, asks to confirm)",
                ),
            ),
            MailField(
                "REJECT_URL",
                Text(
                    "ссылка «отклонить» (одноразовая, спросит причину)",
                    "one-click reject link (works once, asks for the reason)",
                ),
            ),
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: заказ №#ORDER_NUMBER# ждёт согласования",
            "Здравствуйте, #USER_NAME#!\n\nЗаказ №#ORDER_NUMBER# от #ORDER_DATE# на сумму "
            "#ORDER_AMOUNT# (оформил(а) #BUYER_NAME#) ждёт вашего согласования.\n"
            "Причина: #APPROVAL_REASON#\n\nСогласовать: #APPROVE_URL#\nОтклонить: #REJECT_URL#\n"
            "(каждая ссылка работает один раз)\n\nЗаказ в кабинете: #ORDER_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: order #ORDER_NUMBER# needs your approval",
            "Hello #USER_NAME#,\n\nOrder #ORDER_NUMBER# of #ORDER_DATE# for #ORDER_AMOUNT# "
            "(placed by #BUYER_NAME#) needs your approval.\nReason: #APPROVAL_REASON#\n\n"
            "Approve: #APPROVE_URL#\nReject: #REJECT_URL#\n(each link works once)\n\n"
            "The order in the cabinet: #ORDER_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_STATUS_CHANGED",
        Text("B2B: изменился статус заказа", "B2B: order status changed"),
        Text(
            "Статус заказа компании изменился.",
            "A company order's status changed.",
        ),
        (
            *_ORDER_FIELDS,
            MailField("OLD_STATUS_NAME", Text("прежний статус", "previous status")),
            _STATUS_NAME,
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: заказ №#ORDER_NUMBER# — #STATUS_NAME#",
            "Здравствуйте, #USER_NAME#!\n\nСтатус заказа №#ORDER_NUMBER# от #ORDER_DATE# "
            "изменился: «#OLD_STATUS_NAME#» → «#STATUS_NAME#».\n\nЗаказ в кабинете: #ORDER_URL#"
            + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: order #ORDER_NUMBER# is now #STATUS_NAME#",
            "Hello #USER_NAME#,\n\nThe status of order #ORDER_NUMBER# of #ORDER_DATE# changed: "
            "'#OLD_STATUS_NAME#' → '#STATUS_NAME#'.\n\nThe order in the cabinet: #ORDER_URL#"
            + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_APPROVED",
        Text("B2B: заказ согласован", "B2B: order approved"),
        Text(
            "Владелец компании согласовал заказ.",
            "A company owner approved an order.",
        ),
        (
            *_ORDER_FIELDS,
            _ORDER_AMOUNT,
            MailField("APPROVED_BY_NAME", Text("кто согласовал", "who approved")),
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: заказ №#ORDER_NUMBER# согласован",
            "Здравствуйте, #USER_NAME#!\n\n#APPROVED_BY_NAME# согласовал(а) заказ "
            "№#ORDER_NUMBER# от #ORDER_DATE# на сумму #ORDER_AMOUNT#.\n\nЗаказ в кабинете: "
            "#ORDER_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: order #ORDER_NUMBER# approved",
            "Hello #USER_NAME#,\n\n#APPROVED_BY_NAME# approved order #ORDER_NUMBER# of "
            "#ORDER_DATE# for #ORDER_AMOUNT#.\n\nThe order in the cabinet: #ORDER_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_REJECTED",
        Text("B2B: заказ отклонён", "B2B: order rejected"),
        Text(
            "Владелец компании отклонил заказ; заказ отменён.",
            "A company owner rejected an order; the order is cancelled.",
        ),
        (
            *_ORDER_FIELDS,
            _ORDER_AMOUNT,
            MailField("REJECTED_BY_NAME", Text("кто отклонил", "who rejected")),
            MailField("REASON", Text("причина (может быть пустой)", "reason (may be empty)")),
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: заказ №#ORDER_NUMBER# отклонён",
            "Здравствуйте, #USER_NAME#!\n\n#REJECTED_BY_NAME# отклонил(а) заказ "
            "№#ORDER_NUMBER# от #ORDER_DATE# на сумму #ORDER_AMOUNT#.\nПричина: #REASON#\n\n"
            "Заказ в кабинете: #ORDER_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: order #ORDER_NUMBER# rejected",
            "Hello #USER_NAME#,\n\n#REJECTED_BY_NAME# rejected order #ORDER_NUMBER# of "
            "#ORDER_DATE# for #ORDER_AMOUNT#.\nReason: #REASON#\n\nThe order in the cabinet: "
            "#ORDER_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_ORDER_COMMENT",
        Text("B2B: комментарий к заказу", "B2B: order comment"),
        Text(
            "Новый комментарий к заказу; внутренние комментарии получают только менеджеры.",
            "A new comment on an order; internal comments go to managers only.",
        ),
        (
            *_ORDER_FIELDS,
            MailField("AUTHOR_NAME", Text("автор комментария", "comment author")),
            MailField("COMMENT_TEXT", Text("текст комментария", "comment text")),
            _ORDER_URL,
        ),
        (
            "#SITE_NAME#: комментарий к заказу №#ORDER_NUMBER#",
            "Здравствуйте, #USER_NAME#!\n\n#AUTHOR_NAME# оставил(а) комментарий к заказу "
            "№#ORDER_NUMBER#:\n\n#COMMENT_TEXT#\n\nОтветить: #ORDER_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: comment on order #ORDER_NUMBER#",
            "Hello #USER_NAME#,\n\n#AUTHOR_NAME# commented on order #ORDER_NUMBER#:\n\n"
            "#COMMENT_TEXT#\n\nReply: #ORDER_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_DOCUMENT_READY",
        Text("B2B: новый документ", "B2B: new document"),
        Text(
            "В кабинете появился документ из 1С; письмо получают владельцы и бухгалтеры.",
            "A document from 1C is in the cabinet; sent to owners and accountants.",
        ),
        (
            _EMAIL_TO,
            _USER_NAME,
            _COMPANY,
            MailField("DOC_TYPE_NAME", Text("вид документа", "document type")),
            MailField("DOC_NUMBER", Text("номер документа", "document number")),
            MailField("DOC_DATE", Text("дата документа", "document date")),
            MailField("DOC_AMOUNT", Text("сумма с валютой", "amount with currency")),
            MailField("DOC_URL", Text("ссылка на документ", "link to the document")),
        ),
        (
            "#SITE_NAME#: #DOC_TYPE_NAME# №#DOC_NUMBER# от #DOC_DATE#",
            "Здравствуйте, #USER_NAME#!\n\nДля компании #COMPANY_NAME# готов документ: "
            "#DOC_TYPE_NAME# №#DOC_NUMBER# от #DOC_DATE# на сумму #DOC_AMOUNT#.\n\n"
            "Скачать: #DOC_URL#" + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: #DOC_TYPE_NAME# #DOC_NUMBER# of #DOC_DATE#",
            "Hello #USER_NAME#,\n\nA document is ready for #COMPANY_NAME#: #DOC_TYPE_NAME# "
            "#DOC_NUMBER# of #DOC_DATE# for #DOC_AMOUNT#.\n\nDownload: #DOC_URL#" + _SIGN_EN,
        ),
    ),
    _event(
        "B2B_CREDIT_BLOCKED",
        Text("B2B: заказы заблокированы", "B2B: ordering blocked"),
        Text(
            "Просроченный долг компании превысил лимит; новые заказы заблокированы.",
            "The company's overdue debt is over its limit; new orders are blocked.",
        ),
        (
            _EMAIL_TO,
            _USER_NAME,
            _COMPANY,
            MailField("OVERDUE_AMOUNT", Text("просроченный долг", "overdue amount")),
            MailField("OVERDUE_LIMIT", Text("допустимая просрочка", "allowed overdue amount")),
            MailField("CREDIT_LIMIT", Text("кредитный лимит", "credit limit")),
            MailField("BLOCK_REASON", Text("причина блокировки", "why ordering is blocked")),
            MailField("FINANCE_URL", Text("ссылка на финансы в кабинете", "link to finances")),
        ),
        (
            "#SITE_NAME#: заказы компании #COMPANY_NAME# заблокированы",
            "Здравствуйте, #USER_NAME#!\n\nНовые заказы компании #COMPANY_NAME# "
            "заблокированы: #BLOCK_REASON#\nПросроченный долг: #OVERDUE_AMOUNT# (допустимо "
            "#OVERDUE_LIMIT#), кредитный лимит: #CREDIT_LIMIT#.\n\nПодробности: #FINANCE_URL#"
            + _SIGN_RU,
        ),
        (
            "#SITE_NAME#: ordering blocked for #COMPANY_NAME#",
            "Hello #USER_NAME#,\n\nNew orders of #COMPANY_NAME# are blocked: #BLOCK_REASON#\n"
            "Overdue debt: #OVERDUE_AMOUNT# (allowed #OVERDUE_LIMIT#), credit limit: "
            "#CREDIT_LIMIT#.\n\nDetails: #FINANCE_URL#" + _SIGN_EN,
        ),
    ),
)


def mail_event(name: str) -> MailEvent:
    for event in MAIL_EVENTS:
        if event.name == name:
            return event
    raise KeyError(f"no mail event {name}")
