<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\AccessPolicy;
use B2bsync\Bridge\Core\HandoffRefused;
use B2bsync\Bridge\Core\LoginHandoff;
use B2bsync\Bridge\Core\NotifyApi;
use B2bsync\Bridge\Core\WhoAmI;
use Bitrix\Main\Context;
use Bitrix\Main\Localization\Loc;
use Bitrix\Main\UserTable;

/**
 * The two public pages the installer puts in /bitrix/tools/b2bsync/ for b2bsync's invite page
 * (bridge/contract/handoff.json); the rules are Core\LoginHandoff's and Core\WhoAmI's:
 *
 * - handoff.php: verifies the signed, user-bound, 60 s, single-use hand-off, then
 *   $USER->Authorize() (https://dev.1c-bitrix.ru/api_help/main/reference/cuser/authorize.php)
 *   and LocalRedirect to the path it names (on this site);
 * - whoami.php: defines NEED_AUTH before the prolog, so main/include.php shows the site's own
 *   login form to a visitor who is not logged in; for a logged-in user it verifies b2bsync's
 *   signed request and redirects back to it with the signed answer (an external redirect:
 *   LocalRedirect with $skip_security_check).
 *
 * A refusal is a short 403 page in the site's language, logged in the event log; it never says
 * which check failed.
 */
final class InvitePages
{
    public static function handoff(): void
    {
        global $USER;
        $query = Context::getCurrent()->getRequest()->getQueryList()->toArray();
        try {
            $core = new LoginHandoff(self::secret(), new HandoffNonces(), new AccessPolicy(new Access()));
            $found = $core->verify($query, time());
            if (!self::active($found['user']) || !$USER->Authorize($found['user'])) {
                throw new HandoffRefused(HandoffRefused::USER);
            }
        } catch (HandoffRefused|\InvalidArgumentException $e) {
            self::refuse($e, 'handoff');
            return;
        }
        LocalRedirect($found['path']);
    }

    public static function whoami(): void
    {
        global $USER;
        $query = Context::getCurrent()->getRequest()->getQueryList()->toArray();
        try {
            $who = new WhoAmI(self::secret());
            $request = $who->request($query, time());
            $user = (int)$USER->GetID();
            if ($user < 1) {
                throw new HandoffRefused(HandoffRefused::USER);
            }
        } catch (HandoffRefused|\InvalidArgumentException $e) {
            self::refuse($e, 'whoami');
            return;
        }
        LocalRedirect($who->answerUrl($request['return'], $user, $request['state'], time() + WhoAmI::LIFETIME), true);
    }

    private static function secret(): string
    {
        return (new ModuleOptions())->option(NotifyApi::OPTION_SECRET);
    }

    private static function active(int $userId): bool
    {
        $row = UserTable::getList(['select' => ['ACTIVE'], 'filter' => ['=ID' => $userId], 'limit' => 1])->fetch();
        return is_array($row) && $row['ACTIVE'] === 'Y';
    }

    private static function refuse(\Throwable $e, string $where): void
    {
        Log::error($e, "invite.$where");
        Loc::loadMessages(__FILE__);
        \CHTTP::SetStatus('403 Forbidden');
        header('Content-Type: text/html; charset=utf-8');
        header('Cache-Control: no-store');
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>'
            . htmlspecialcharsbx((string)Loc::getMessage('B2BSYNC_INVITE_LINK_TITLE'))
            . '</title></head><body><h1>' . htmlspecialcharsbx((string)Loc::getMessage('B2BSYNC_INVITE_LINK_TITLE'))
            . '</h1><p>' . htmlspecialcharsbx((string)Loc::getMessage('B2BSYNC_INVITE_LINK_TEXT')) . '</p></body></html>';
    }
}
