"""The order guard of the bridge module, as pure Python: the decision it makes at checkout.

The module's handler of ``sale:OnSaleOrderBeforeSaved`` decides with the same table
(``bridge/contract/order_guard.json``); the Bitrix fake applies this one to the orders it
creates, and b2bsync builds the module option ``guard`` with :class:`GuardConfig`.
"""

from ._config import RULES, GuardConfig, GuardConfigError, Rule, config_problem
from ._decide import (
    REASONS,
    Decision,
    GuardFacts,
    OrderFacts,
    Refusal,
    clean,
    current_membership,
    decide,
    read_config,
)
from ._roles import CREATE_ORDERS, RoleTable
from ._texts import MESSAGES, Message, money, render

OPTION = "guard"

__all__ = [
    "CREATE_ORDERS",
    "MESSAGES",
    "OPTION",
    "REASONS",
    "RULES",
    "Decision",
    "GuardConfig",
    "GuardConfigError",
    "GuardFacts",
    "Message",
    "OrderFacts",
    "Refusal",
    "RoleTable",
    "Rule",
    "clean",
    "config_problem",
    "current_membership",
    "decide",
    "money",
    "read_config",
    "render",
]
