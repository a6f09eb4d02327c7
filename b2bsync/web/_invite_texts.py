"""The invite pages' texts in Russian and English (the same keys in both): the short pages of
:func:`~b2bsync.web._pages.message_page` (``MESSAGES``) and the accept form's words
(``FORM``)."""

from __future__ import annotations

from collections.abc import Mapping

MESSAGES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "ru": {
        "invite_unknown": (
            "Приглашение не найдено",
            "Ссылка неверна или приглашение заменено новым. Попросите владельца компании "
            "прислать приглашение ещё раз.",
        ),
        "invite_expired": (
            "Срок приглашения истёк",
            "Попросите владельца компании продлить приглашение или прислать новое.",
        ),
        "invite_revoked": (
            "Приглашение отозвано",
            "Владелец компании отозвал это приглашение. Если это ошибка, попросите прислать новое.",
        ),
        "invite_used": (
            "Приглашение уже принято",
            "По этой ссылке уже присоединились к компании. Войдите на сайт со своим логином и "
            "паролем.",
        ),
        "invite_busy": (
            "Приглашение уже принимается",
            "Эту ссылку только что отправили из другой вкладки. Подождите минуту и обновите "
            "страницу.",
        ),
        "invite_refused": (
            "Присоединиться нельзя",
            "Компания должна сохранить хотя бы одного активного владельца. Обратитесь к "
            "владельцу компании.",
        ),
        "wrong_account": (
            "Вы вошли под другой учётной записью",
            "Приглашение отправлено на другой адрес. Выйдите на сайте магазина и войдите под "
            "учётной записью с адресом из приглашения.",
        ),
        "who_invalid": (
            "Не удалось подтвердить вход",
            "Откройте ссылку из приглашения ещё раз и войдите на сайте магазина.",
        ),
        "csrf": (
            "Форма устарела",
            "Обновите страницу и отправьте форму ещё раз.",
        ),
        "too_large": ("Форма не принята", "Форма слишком большая. Откройте ссылку ещё раз."),
        "rate_limited": (
            "Слишком много попыток",
            "Подождите немного и попробуйте снова.",
        ),
        "accepted": (
            "Вы присоединились к компании",
            "Войдите на сайт магазина, чтобы открыть кабинет компании.",
        ),
        "unavailable": (
            "Сервис временно недоступен",
            "Сайт магазина не отвечает. Попробуйте через минуту.",
        ),
    },
    "en": {
        "invite_unknown": (
            "Invitation not found",
            "The link is wrong or the invitation was replaced by a new one. Ask the company's "
            "owner to send it again.",
        ),
        "invite_expired": (
            "This invitation has expired",
            "Ask the company's owner to extend the invitation or send a new one.",
        ),
        "invite_revoked": (
            "This invitation was revoked",
            "The company's owner revoked it. If that is a mistake, ask for a new one.",
        ),
        "invite_used": (
            "This invitation was accepted already",
            "Someone joined the company with this link. Log in on the store with your login and "
            "password.",
        ),
        "invite_busy": (
            "This invitation is being accepted",
            "The form was just sent from another tab. Wait a minute and reload the page.",
        ),
        "invite_refused": (
            "You cannot join",
            "The company must keep at least one active owner. Ask the company's owner.",
        ),
        "wrong_account": (
            "You are logged in as someone else",
            "The invitation was sent to another address. Log out on the store and log in with "
            "the account of the invited address.",
        ),
        "who_invalid": (
            "Your login could not be confirmed",
            "Open the invitation link again and log in on the store.",
        ),
        "csrf": ("This form is out of date", "Reload the page and send the form again."),
        "too_large": ("The form was not accepted", "It is too large. Open the link again."),
        "rate_limited": ("Too many attempts", "Please wait a little and try again."),
        "accepted": (
            "You joined the company",
            "Log in on the store to open the company's cabinet.",
        ),
        "unavailable": (
            "Temporarily unavailable",
            "The store does not answer. Please try again in a minute.",
        ),
    },
}

FORM: Mapping[str, Mapping[str, str]] = {
    "ru": {
        "title": "Приглашение в компанию {company}",
        "lead": "Вас пригласили в B2B-кабинет компании {company} с ролью «{role}».",
        "email": "Адрес",
        "expires": "Приглашение действует до {expires}.",
        "new_intro": "Создайте учётную запись на сайте магазина, чтобы принять приглашение.",
        "name": "Имя",
        "last_name": "Фамилия",
        "password": "Пароль",
        "password2": "Пароль ещё раз",
        "create": "Принять приглашение",
        "login_intro": "У адреса {email} уже есть учётная запись на сайте магазина. Войдите в "
        "неё — после входа вы вернётесь сюда.",
        "login": "Войти на сайте магазина",
        "join_intro": "Вы вошли на сайте магазина как {name} ({email}).",
        "join": "Присоединиться к компании",
        "error_name": "Укажите имя.",
        "error_long": "Слишком длинное значение (не больше 50 символов).",
        "error_password": "Укажите пароль.",
        "error_mismatch": "Пароли не совпадают.",
        "error_site": "Сайт магазина не принял учётную запись: {reason}",
        "errors": "Исправьте ошибки в форме.",
    },
    "en": {
        "title": "Invitation to {company}",
        "lead": "You are invited to the B2B cabinet of {company} as {role}.",
        "email": "Address",
        "expires": "The invitation is valid until {expires}.",
        "new_intro": "Create an account on the store to accept the invitation.",
        "name": "First name",
        "last_name": "Last name",
        "password": "Password",
        "password2": "Password again",
        "create": "Accept the invitation",
        "login_intro": "{email} has an account on the store already. Log in to it — you will come "
        "back here afterwards.",
        "login": "Log in on the store",
        "join_intro": "You are logged in on the store as {name} ({email}).",
        "join": "Join the company",
        "error_name": "Enter your first name.",
        "error_long": "Too long (50 characters at most).",
        "error_password": "Enter a password.",
        "error_mismatch": "The passwords do not match.",
        "error_site": "The store did not accept the account: {reason}",
        "errors": "Please correct the form.",
    },
}

__all__ = ["FORM", "MESSAGES"]
