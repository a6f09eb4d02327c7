<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Controller;

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\Cabinet;
use B2bsync\Bridge\Core\CabinetDenied;
use Bitrix\Main\DI\ServiceLocator;
use Bitrix\Main\Engine\ActionFilter;
use Bitrix\Main\Engine\Controller;
use Bitrix\Main\Error;

/**
 * The bell's AJAX actions (namespace declared in the module's .settings.php), called as
 * BX.ajax.runAction('b2bsync:bridge.bell.counter') or a POST to
 * /bitrix/services/main/ajax.php?action=b2bsync:bridge.bell.counter with the session token:
 * counter (the unread count), read (one notification) and readAll. Every action is POST-only,
 * for a logged-in user, with the CSRF check; each answers {"unread": N}. The rules are
 * NotificationList's, as on the notifications page.
 */
final class Bell extends Controller
{
    protected function getDefaultPreFilters(): array
    {
        return [
            new ActionFilter\Authentication(),
            new ActionFilter\HttpMethod([ActionFilter\HttpMethod::METHOD_POST]),
            new ActionFilter\Csrf(),
        ];
    }

    private function cabinet(): Cabinet
    {
        return ServiceLocator::getInstance()->get(CabinetComponent::SERVICE);
    }

    private function userId(): int
    {
        return (int)$this->getCurrentUser()?->getId();
    }

    /** @return array{unread: int} */
    public function counterAction(): array
    {
        return ['unread' => $this->cabinet()->notifications()->unread($this->userId())];
    }

    /** @return array{unread: int}|null */
    public function readAction(int $id): ?array
    {
        try {
            return ['unread' => $this->cabinet()->notifications()->markRead($this->userId(), [$id])];
        } catch (CabinetDenied $e) {
            $this->addError(new Error($e->reason, $e->reason));
            return null;
        }
    }

    /** @return array{unread: int} */
    public function readAllAction(): array
    {
        return ['unread' => $this->cabinet()->notifications()->markAllRead($this->userId())];
    }
}
