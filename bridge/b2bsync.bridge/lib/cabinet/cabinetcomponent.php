<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\Cabinet;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\Membership;
use Bitrix\Main\Application;
use Bitrix\Main\DI\ServiceLocator;
use Bitrix\Main\Engine\CurrentUser;
use Bitrix\Main\HttpRequest;
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * What every b2bsync cabinet component does around its own page, in named steps
 * (executeComponent): the user (guests get the site's login form), the cabinet from the service
 * locator, a POST action — only with a valid session token (check_bitrix_sessid) and answered by a
 * redirect to the same page (post/redirect/get) — or the page's data, then the template. A refusal
 * (CabinetDenied) sets the HTTP status and ERROR for the template; nothing else is decided here:
 * the rules are in lib/core, where they are tested.
 *
 * A subclass names its action prefix, reads its parameters (params()) and implements page() and
 * act(). The cabinet object is the service "b2bsync.bridge.cabinet" (.settings.php), which a site
 * may replace in its own /bitrix/.settings.php.
 */
abstract class CabinetComponent extends \CBitrixComponent
{
    public const SERVICE = 'b2bsync.bridge.cabinet';
    public const ACTION_FIELD = 'b2b_action';

    protected Cabinet $cabinet;
    protected int $userId = 0;
    protected string $lang = 'en';

    /** Actions this component answers: "<prefix>.<name>" in the form's b2b_action field. */
    abstract protected function actionPrefix(): string;

    /**
     * The page's data for arResult.
     * @return array<string, mixed>
     */
    abstract protected function page(Membership $m, HttpRequest $request): array;

    /**
     * Run the action $name (without the prefix) for a POST that passed the session check; the
     * "done" code shown after the redirect, e.g. "approved".
     */
    abstract protected function act(Membership $m, string $name, HttpRequest $request): string;

    /** @param array<string, mixed> $params */
    public function onPrepareComponentParams($params): array
    {
        $params = is_array($params) ? $params : [];
        $params['SET_TITLE'] = ($params['SET_TITLE'] ?? 'Y') === 'N' ? 'N' : 'Y';
        $params['CACHE_TYPE'] = 'N';
        return $this->params($params);
    }

    /**
     * The component's own parameters, normalised once.
     * @param array<string, mixed> $params
     * @return array<string, mixed>
     */
    protected function params(array $params): array
    {
        return $params;
    }

    public function executeComponent(): void
    {
        $this->arResult = ['ERROR' => null, 'DONE' => null];
        $this->lang = (string)(Application::getInstance()->getContext()->getLanguage() ?: 'en');
        $this->userId = (int)CurrentUser::get()->getId();
        if ($this->userId <= 0) {
            global $APPLICATION;
            $APPLICATION->AuthForm('');
            return;
        }
        $request = Application::getInstance()->getContext()->getRequest();
        try {
            $this->cabinet = ServiceLocator::getInstance()->get(self::SERVICE);
            $membership = $this->membership();
            $action = $request->isPost() ? (string)$request->getPost(self::ACTION_FIELD) : '';
            $prefix = $this->actionPrefix() . '.';
            if ($action !== '' && str_starts_with($action, $prefix)) {
                if (!check_bitrix_sessid()) {
                    throw new CabinetDenied(CabinetDenied::SESSION);
                }
                $done = $this->act($membership, substr($action, strlen($prefix)), $request);
                LocalRedirect(self::withDone($this->returnUrl($request), $done));
                return;
            }
            // page() may fill arResult before it refuses (the cabinet's header), so merge
            $page = $this->page($membership, $request);
            $this->arResult = array_merge($this->arResult, $page);
            $done = $request->getQuery('done');
            $this->arResult['DONE'] = is_string($done) && preg_match('/\A[a-z_]{1,32}\z/', $done) === 1 ? $done : null;
        } catch (CabinetDenied $e) {
            \CHTTP::SetStatus(self::statusLine($e->httpStatus()));
            $this->arResult['ERROR'] = ['REASON' => $e->reason, 'DETAIL' => $e->detail, 'MESSAGE' => self::message($e)];
        }
        $this->render();
    }

    /** The membership the page acts for (the complex component passes it down unchanged). */
    protected function membership(): Membership
    {
        return $this->cabinet->scope()->current($this->userId);
    }

    protected function render(): void
    {
        $this->includeComponentTemplate();
    }

    /** Where a POST returns to: the page it came from, without the last "done". */
    protected function returnUrl(HttpRequest $request): string
    {
        $uri = (string)$request->getRequestUri();
        return (string)preg_replace('/([?&])done=[^&]*(&|$)/', '$1', $uri) ?: '/';
    }

    public static function withDone(string $url, string $done): string
    {
        $url = rtrim($url, '?&');
        return $done === '' ? $url : $url . (str_contains($url, '?') ? '&' : '?') . 'done=' . rawurlencode($done);
    }

    protected function setTitle(string $title): void
    {
        if ($this->arParams['SET_TITLE'] === 'Y') {
            global $APPLICATION;
            $APPLICATION->SetTitle($title);
        }
    }

    /** A link template's URL with #NAME# filled in (parameters such as ORDER_URL). */
    public static function fill(string $template, string $name, int|string $value): string
    {
        return str_replace('#' . $name . '#', rawurlencode((string)$value), $template);
    }

    /**
     * A parameter holding a list (multiple select or comma-separated text), trimmed, upper-cased.
     * @return list<string>
     */
    public static function codes(mixed $raw, array $default): array
    {
        $items = is_array($raw) ? $raw : explode(',', (string)$raw);
        $out = [];
        foreach ($items as $item) {
            $code = strtoupper(trim((string)$item));
            if ($code !== '' && preg_match('/\A[A-Z0-9_]{1,50}\z/', $code) === 1) {
                $out[] = $code;
            }
        }
        return $out === [] ? $default : array_values(array_unique($out));
    }

    public static function positive(mixed $raw, int $default, int $min = 1, int $max = 1000000): int
    {
        $value = filter_var($raw, FILTER_VALIDATE_INT);
        return $value === false ? $default : max($min, min($max, $value));
    }

    /** The refusal in the page's language; a named rule (last_owner, invite_open) has its own text. */
    public static function message(CabinetDenied $e): string
    {
        $specific = preg_match('/\A[a-z_]+\z/', $e->detail) === 1 ? Loc::getMessage('B2BSYNC_CABINET_DENIED_' . strtoupper($e->detail)) : null;
        return (string)($specific ?: Loc::getMessage('B2BSYNC_CABINET_DENIED_' . strtoupper($e->reason)));
    }

    private static function statusLine(int $code): string
    {
        return match ($code) {
            400 => '400 Bad Request',
            403 => '403 Forbidden',
            404 => '404 Not Found',
            409 => '409 Conflict',
            default => '503 Service Unavailable',
        };
    }
}
