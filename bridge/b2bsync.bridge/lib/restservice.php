<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Cabinet\SaleOrders;
use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\BridgeApi;
use B2bsync\Bridge\Core\ErrorCode;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;
use Bitrix\Rest\RestException;

Loc::loadMessages(__FILE__);

/**
 * The b2bsync REST scope. The installer registers onRestServiceBuildDescription() for the rest
 * module's OnRestServiceBuildDescription event; every method's callback receives the query, the
 * navigation start and the \CRestServer, as the rest module calls them
 * (https://dev.1c-bitrix.ru/learning/course/index.php?COURSE_ID=43&LESSON_ID=7985).
 *
 * Lists answer through the rest module's navigation convention: "next" and "total" keys put
 * into the result, which CRestServer moves to the top level (as IRestService::setNavData()).
 * Errors are \Bitrix\Rest\RestException with the scope's code and HTTP status.
 */
final class RestService
{
    public const SCOPE = 'b2bsync';

    /** @return array<string, array<string, array{callback: array{0: class-string, 1: string}, options: array<string, mixed>}>> */
    public static function onRestServiceBuildDescription(): array
    {
        $methods = [];
        foreach (BridgeApi::METHODS as $name => $handler) {
            $methods[$name] = ['callback' => [self::class, $handler], 'options' => []];
        }
        return [self::SCOPE => $methods];
    }

    public static function info(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.info', $query, $nav); }
    public static function hlblockList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.list', $query, $nav); }
    public static function hlblockGet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.get', $query, $nav); }
    public static function hlblockAdd(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.add', $query, $nav); }
    public static function hlblockUpdate(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.update', $query, $nav); }
    public static function hlblockDeclare(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.declare', $query, $nav); }
    public static function fieldList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.field.list', $query, $nav); }
    public static function fieldGet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.field.get', $query, $nav); }
    public static function fieldAdd(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.field.add', $query, $nav); }
    public static function fieldUpdate(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.field.update', $query, $nav); }
    public static function indexList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.index.list', $query, $nav); }
    public static function indexEnsure(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.hlblock.index.ensure', $query, $nav); }
    public static function itemList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.list', $query, $nav); }
    public static function itemGet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.get', $query, $nav); }
    public static function itemAdd(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.add', $query, $nav); }
    public static function itemUpdate(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.update', $query, $nav); }
    public static function itemDelete(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.delete', $query, $nav); }
    public static function itemUpsert(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.item.upsert', $query, $nav); }
    public static function userFind(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.user.find', $query, $nav); }
    public static function userAdd(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.user.add', $query, $nav); }
    public static function mailTypeList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.mail.type.list', $query, $nav); }
    public static function mailTypeEnsure(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.mail.type.ensure', $query, $nav); }
    public static function mailTemplateList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.mail.template.list', $query, $nav); }
    public static function mailTemplateEnsure(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.mail.template.ensure', $query, $nav); }
    public static function mailSend(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.mail.send', $query, $nav); }
    public static function recipientList(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.recipient.list', $query, $nav); }
    public static function linkInfo(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.link.info', $query, $nav); }
    public static function optionGet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.option.get', $query, $nav); }
    public static function optionSet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.option.set', $query, $nav); }
    public static function orderStatusSet(array $query, $nav, \CRestServer $server): mixed { return self::run('b2bsync.order.status.set', $query, $nav); }

    public static function api(): BridgeApi
    {
        if (!Loader::includeModule('highloadblock')) {
            throw ApiError::of(ErrorCode::CORE, 'the highloadblock module is not installed');
        }
        $site = new Site();
        $blocks = new HlBlocks();
        $orders = Loader::includeModule('sale') ? new SaleOrders($site->timezone()) : null;
        return new BridgeApi($blocks, new Items($site->timezone()), new Users(), new Mail(), $site, new Access(), new ModuleOptions(), new Recipients(), $orders);
    }

    /**
     * @param array<array-key, mixed> $query
     * @throws RestException
     */
    private static function run(string $method, array $query, mixed $nav): mixed
    {
        try {
            $answer = self::api()->call($method, $query, is_numeric($nav) ? (int)$nav : 0);
        } catch (ApiError $e) {
            // CRestServer would otherwise replace our code with a core CApplicationException left behind
            global $APPLICATION;
            $APPLICATION->ResetException();
            if ($e->errorCode() === ErrorCode::CORE) {
                Log::error($e, $method);
            }
            throw new RestException(self::describe($e->errorCode(), $e->getMessage()), $e->errorCode(), self::status($e->httpStatus()));
        } catch (\Throwable $e) {
            Log::error($e, $method);
            throw $e;
        }
        if ($answer['total'] === null && $answer['next'] === null) {
            return self::describeRows($answer['result']);
        }
        $result = $answer['result'];
        if ($answer['next'] !== null) {
            $result['next'] = $answer['next'];
        }
        $result['total'] = $answer['total'];
        return $result;
    }

    /** The site-language text of the code, with the detail the Core gave. */
    private static function describe(string $code, string $detail): string
    {
        $text = Loc::getMessage('B2BSYNC_BRIDGE_' . $code, ['#DETAIL#' => $detail]);
        return is_string($text) && $text !== '' ? $text : $detail;
    }

    /** The per-row errors of an upsert chunk described like the call's own errors. */
    private static function describeRows(mixed $result): mixed
    {
        if (!is_array($result) || !array_is_list($result)) {
            return $result;
        }
        foreach ($result as $i => $row) {
            if (is_array($row) && isset($row['ERROR'], $row['ERROR_DESCRIPTION'])) {
                $result[$i]['ERROR_DESCRIPTION'] = self::describe((string)$row['ERROR'], (string)$row['ERROR_DESCRIPTION']);
            }
        }
        return $result;
    }

    private static function status(int $code): string
    {
        return match ($code) {
            403 => \CRestServer::STATUS_FORBIDDEN,
            404 => \CRestServer::STATUS_NOT_FOUND,
            500 => \CRestServer::STATUS_INTERNAL,
            503 => '503 Service Unavailable',
            default => \CRestServer::STATUS_WRONG_REQUEST,
        };
    }
}
