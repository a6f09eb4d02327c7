<?php
$MESS['B2BSYNC_BRIDGE_GUARD_ROLE_MAY_NOT_ORDER'] = 'С ролью «#ROLE#» в компании #COMPANY# оформлять заказы нельзя. Обратитесь к владельцу кабинета компании.';
$MESS['B2BSYNC_BRIDGE_GUARD_COMPANY_BLOCKED'] = 'Заказы компании #COMPANY# приостановлены: #REASON#. Обратитесь к вашему менеджеру.';
$MESS['B2BSYNC_BRIDGE_GUARD_COMPANY_BLOCKED_NO_REASON'] = 'Заказы компании #COMPANY# приостановлены. Обратитесь к вашему менеджеру.';
$MESS['B2BSYNC_BRIDGE_GUARD_OVER_CREDIT'] = 'Сумма заказа #TOTAL# больше доступного кредита компании #COMPANY#: #AVAILABLE#. Уменьшите заказ или обратитесь к вашему менеджеру.';
$MESS['B2BSYNC_BRIDGE_GUARD_FAILED'] = 'Заказ не удалось оформить: #DETAIL# Обратитесь к вашему менеджеру.';
