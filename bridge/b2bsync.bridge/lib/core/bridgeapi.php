<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Every method of the b2bsync REST scope, over the site's ports (bridge/contract/README.md).
 * Holds no business rules of b2bsync; the Bitrix-facing code is only in the ports' implementations.
 */
final class BridgeApi
{
    /** The module version (install/version.php says the same) and the contract's major version. */
    public const VERSION = '1.2.0';
    public const API = 1;
    public const FEATURES = ['access_control', 'cabinet', 'files', 'link_info', 'mail_dedup', 'mail_template_guard', 'options', 'order_events', 'order_guard', 'order_status', 'recipients', 'upsert', 'upsert_rows', 'wake_pings'];

    /** REST method => handler. */
    public const METHODS = [
        'b2bsync.info' => 'info',
        'b2bsync.hlblock.list' => 'hlblockList',
        'b2bsync.hlblock.get' => 'hlblockGet',
        'b2bsync.hlblock.add' => 'hlblockAdd',
        'b2bsync.hlblock.update' => 'hlblockUpdate',
        'b2bsync.hlblock.declare' => 'hlblockDeclare',
        'b2bsync.hlblock.field.list' => 'fieldList',
        'b2bsync.hlblock.field.get' => 'fieldGet',
        'b2bsync.hlblock.field.add' => 'fieldAdd',
        'b2bsync.hlblock.field.update' => 'fieldUpdate',
        'b2bsync.hlblock.index.list' => 'indexList',
        'b2bsync.hlblock.index.ensure' => 'indexEnsure',
        'b2bsync.item.list' => 'itemList',
        'b2bsync.item.get' => 'itemGet',
        'b2bsync.item.add' => 'itemAdd',
        'b2bsync.item.update' => 'itemUpdate',
        'b2bsync.item.delete' => 'itemDelete',
        'b2bsync.item.upsert' => 'itemUpsert',
        'b2bsync.user.find' => 'userFind',
        'b2bsync.user.add' => 'userAdd',
        'b2bsync.mail.type.list' => 'mailTypeList',
        'b2bsync.mail.type.ensure' => 'mailTypeEnsure',
        'b2bsync.mail.template.list' => 'mailTemplateList',
        'b2bsync.mail.template.ensure' => 'mailTemplateEnsure',
        'b2bsync.mail.send' => 'mailSend',
        'b2bsync.recipient.list' => 'recipientList',
        'b2bsync.link.info' => 'linkInfo',
        'b2bsync.option.get' => 'optionGet',
        'b2bsync.option.set' => 'optionSet',
        'b2bsync.order.status.set' => 'orderStatusSet',
    ];

    private readonly BlockApi $blocks;
    private readonly ItemApi $items;
    private readonly UserApi $users;
    private readonly MailApi $mail;
    private readonly ?NotifyApi $notify;
    private readonly OptionApi $options;
    private readonly AccessPolicy $policy;
    private readonly ?OrderStatusApi $orderStatus;

    public function __construct(
        BlockPort $blocks,
        RowPort $rows,
        UserPort $users,
        MailPort $mail,
        private readonly SitePort $site,
        AccessPort $access,
        OptionPort $options,
        ?RecipientPort $recipients = null,
        ?OrderPort $orders = null,
    ) {
        $this->policy = new AccessPolicy($access);
        $this->blocks = new BlockApi($blocks, $site, $this->policy);
        $this->items = new ItemApi($this->blocks, $rows, $site);
        $this->users = new UserApi($users, $this->policy);
        $this->mail = new MailApi($mail, $site, $this->policy);
        $this->notify = $recipients !== null ? new NotifyApi($recipients, $options) : null;
        $this->options = new OptionApi($options);
        $this->orderStatus = $orders !== null && $recipients !== null
            ? new OrderStatusApi($orders, $recipients, $options, $access, $this->policy)
            : null;
    }

    /**
     * Run one method. $query is what the rest module hands the callback; $start its navigation
     * parameter (the rest module takes "start" out of the query).
     *
     * @param array<array-key, mixed> $query
     * @return array{result: mixed, total: ?int, next: ?int}
     * @throws ApiError
     */
    public function call(string $method, array $query, mixed $start = null): array
    {
        $handler = self::METHODS[strtolower($method)] ?? null;
        if ($handler === null) {
            throw ApiError::of(ErrorCode::METHOD_NOT_FOUND, 'Method not found!');
        }
        $this->policy->caller();
        $params = new Params($query);
        if ($start !== null && !$params->has('START')) {
            $params = new Params($query + ['START' => $start]);
        }
        $answer = $this->$handler($params);
        if ($handler === 'itemList') {
            return $answer;
        }
        return ['result' => $answer, 'total' => null, 'next' => null];
    }

    /** @return array<string, mixed> */
    private function info(Params $params): array
    {
        $languages = $this->site->activeLanguages();
        sort($languages);
        return [
            'VERSION' => self::VERSION,
            'API' => self::API,
            'SITE_ID' => $this->site->defaultSiteId(),
            'LANGUAGES' => $languages,
            'PERSON_TYPES' => $this->site->personTypes(),
            'FEATURES' => self::FEATURES,
            'ACCESS' => $this->policy->info(),
        ];
    }

    private function hlblockList(Params $p): array { return $this->blocks->list($p); }
    private function hlblockGet(Params $p): array { return $this->blocks->get($p); }
    private function hlblockAdd(Params $p): int { return $this->blocks->add($p); }
    private function hlblockUpdate(Params $p): bool { return $this->blocks->update($p); }
    private function hlblockDeclare(Params $p): array { return $this->blocks->declare($p); }
    private function fieldList(Params $p): array { return $this->blocks->fieldList($p); }
    private function fieldGet(Params $p): array { return $this->blocks->fieldGet($p); }
    private function fieldAdd(Params $p): int { return $this->blocks->fieldAdd($p); }
    private function fieldUpdate(Params $p): bool { return $this->blocks->fieldUpdate($p); }
    private function indexList(Params $p): array { return $this->blocks->indexList($p); }
    private function indexEnsure(Params $p): bool { return $this->blocks->indexEnsure($p); }
    private function itemList(Params $p): array { return $this->items->list($p); }
    private function itemGet(Params $p): array { return $this->items->get($p); }
    private function itemAdd(Params $p): int { return $this->items->add($p); }
    private function itemUpdate(Params $p): bool { return $this->items->update($p); }
    private function itemDelete(Params $p): bool { return $this->items->delete($p); }
    private function itemUpsert(Params $p): array { return $this->items->upsert($p); }
    private function userFind(Params $p): ?array { return $this->users->find($p); }
    private function userAdd(Params $p): int { return $this->users->add($p); }
    private function mailTypeList(Params $p): array { return $this->mail->typeList($p); }
    private function mailTypeEnsure(Params $p): array { return $this->mail->typeEnsure($p); }
    private function mailTemplateList(Params $p): array { return $this->mail->templateList($p); }
    private function mailTemplateEnsure(Params $p): array { return $this->mail->templateEnsure($p); }
    private function mailSend(Params $p): array { return $this->mail->send($p); }
    private function recipientList(Params $p): array { return $this->notifier()->recipients($p); }
    private function linkInfo(Params $p): array { return $this->notifier()->linkInfo($p); }

    private function notifier(): NotifyApi
    {
        if ($this->notify === null) {
            throw ApiError::of(ErrorCode::METHOD_NOT_FOUND, 'Method not found!');
        }
        return $this->notify;
    }
    private function optionGet(Params $p): mixed { return $this->options->get($p); }
    private function optionSet(Params $p): array { return $this->options->set($p); }

    private function orderStatusSet(Params $p): array
    {
        if ($this->orderStatus === null) {
            throw ApiError::of(ErrorCode::METHOD_NOT_FOUND, 'Method not found!');
        }
        return $this->orderStatus->set($p);
    }
}
