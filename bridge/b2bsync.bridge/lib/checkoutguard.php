<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Cabinet\SitePeople;
use B2bsync\Bridge\Core\GuardDecision;
use B2bsync\Bridge\Core\GuardReader;
use B2bsync\Bridge\Core\GuardText;
use B2bsync\Bridge\Core\OrderGuard;
use Bitrix\Main\Engine\CurrentUser;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;
use Bitrix\Sale\OrderBase;
use Bitrix\Sale\ResultError;

Loc::loadMessages(__FILE__);

/**
 * The order guard on the site: handler of the sale module's D7 event OnSaleOrderBeforeSaved,
 * registered by the installer (ModuleSetup::HANDLERS). The rules are the core's (OrderGuard, the
 * decision table of bridge/contract/order_guard.json); this class only reads and writes D7
 * objects. What it relies on (sale 25.x, \Bitrix\Sale\OrderBase::save() and
 * callEventOnBeforeOrderSaved(); the D7 docs' "События на сохранение заказа",
 * dev.1c-bitrix.ru/api_d7/bitrix/sale/events/order_saved.php; seen on Business 25.550):
 *
 * - the event runs before every save with ENTITY = the order (and VALUES, the old fields); it is
 *   ignored unless $order->isNew() (a new order has no ID yet), so an order is guarded once,
 *   when created — at checkout (sale.order.ajax), in the admin panel, or by REST sale.order.add;
 * - the buyer is the session's user (CurrentUser), as for the status log: at checkout the order's
 *   own user, over REST the webhook's user (the service user is no member: the order passes);
 * - returning new EventResult(EventResult::ERROR, new \Bitrix\Sale\ResultError($text, $code))
 *   makes save() return that error without saving anything (callEventOnBeforeOrderSaved), so the
 *   checkout shows $text; over REST sale.order.add answers 400 with error = $code;
 * - a value set here through the order's property collection
 *   (getPropertyCollection()->getItemByOrderPropertyCode('B2B_COMPANY_ID')->setValue()) is saved
 *   with the order; a payer type without that property is not a B2B one and the order passes;
 * - setField('STATUS_ID', …) here saves the new order in that status. The status event queued by
 *   the order's creation still reports null → N (the sale module sends the first queued
 *   OnSaleStatusOrderChange), so OrderEvents logs the saved order's status instead.
 *
 * A failure while reading the facts (the HL-blocks unreadable, a core error) is logged and the
 * order passes: the storefront keeps working without b2bsync. A failure to write the company link
 * or the pending status refuses the order, which must never exist unguarded.
 */
final class CheckoutGuard
{
    public const PROPERTY_CODE = 'B2B_COMPANY_ID';
    /** The error code when the company link or the pending status cannot be set (not in the decision table). */
    public const FAILED = 'B2BSYNC_GUARD_FAILED';
    private const MODULE_ID = 'b2bsync.bridge';

    public static function onSaleOrderBeforeSaved(Event $event): EventResult
    {
        $order = $event->getParameter('ENTITY');
        if (!$order instanceof OrderBase || !$order->isNew()) {
            return self::success();
        }
        try {
            if (!Loader::includeModule('highloadblock')) {
                return self::success();
            }
            $site = new Site();
            $reader = new GuardReader(new HlBlocks(), new Items($site->timezone()), new SitePeople(), new ModuleOptions(), $site->timezone());
        } catch (\Throwable $e) {
            Log::error($e, 'order_guard');
            return self::success();
        }
        return self::guard(
            $order,
            $reader,
            OrderEvents::actingUser(self::currentUser()),
            Loc::getCurrentLang(),
            static fn (string $key, array $replace = []): string => (string)Loc::getMessage($key, $replace),
        );
    }

    /**
     * The guard applied to a new order: decide from the facts $reader gathers for $userId, then
     * refuse, or write the company link and, when approval is needed, the pending status.
     * @param \Closure(string, array<string, string>): string $message a language-file text by key ('' when missing)
     */
    public static function guard(OrderBase $order, GuardReader $reader, ?int $userId, string $lang, \Closure $message): EventResult
    {
        try {
            $link = $order->getPropertyCollection()->getItemByOrderPropertyCode(self::PROPERTY_CODE);
            $facts = $reader->facts($userId, (float)$order->getPrice(), (string)$order->getCurrency(), $link !== null);
            $decision = OrderGuard::decide($facts);
        } catch (\Throwable $e) {
            Log::error($e, 'order_guard');
            return self::success();
        }
        if ($decision->kind === GuardDecision::PASS) {
            return self::success();
        }
        if ($decision->kind === GuardDecision::REFUSE) {
            $template = $message($decision->messageKey(), []);
            $text = GuardText::render($template !== '' ? $template : (string)$decision->code, $decision->params, $facts->roles, $lang);
            return self::error($text, (string)$decision->code);
        }
        $written = $link?->setValue((string)$decision->companyId);
        if ($written !== null && !$written->isSuccess()) {
            return self::failed($written->getErrorMessages(), $message);
        }
        if ($decision->kind === GuardDecision::PENDING) {
            $moved = $order->setField('STATUS_ID', (string)$decision->status);
            if (!$moved->isSuccess()) {
                return self::failed($moved->getErrorMessages(), $message);
            }
        }
        return self::success();
    }

    /**
     * @param list<string> $reasons the sale module's
     * @param \Closure(string, array<string, string>): string $message
     */
    private static function failed(array $reasons, \Closure $message): EventResult
    {
        $detail = trim(implode(' ', $reasons));
        $text = $message('B2BSYNC_BRIDGE_GUARD_FAILED', ['#DETAIL#' => $detail === '' ? '—' : $detail]);
        return self::error($text === '' ? $detail : $text, self::FAILED);
    }

    private static function currentUser(): ?object
    {
        try {
            return CurrentUser::get();
        } catch (\Throwable) {
            return null;
        }
    }

    private static function success(): EventResult
    {
        return new EventResult(EventResult::SUCCESS, null, self::MODULE_ID);
    }

    private static function error(string $text, string $code): EventResult
    {
        return new EventResult(EventResult::ERROR, new ResultError($text, $code), self::MODULE_ID);
    }
}
