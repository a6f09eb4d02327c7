<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * One order of the current company: basket, status history (b2b_order_events), its documents (for
 * roles that see documents), approve/reject (owners, while the order is pending), the comment
 * thread, follow / unfollow; and the actions, each checked here, server-side, whatever the page
 * showed.
 *
 * Approving moves the order from the APPROVAL_PENDING status to APPROVED, rejecting to REJECTED
 * (statuses found by XML_ID, so configured codes work); b2bsync's sidecar takes it from there
 * (on to the next status, or the order cancelled with the reason; a change by someone without the
 * right is reverted). The rejection's reason goes into the status-log row of that change
 * (UF_REASON): the reason is set in a StatusChangeNote around the status change, which the
 * module's status-log writer takes (checked before the change, so a refused reason changes
 * nothing; a refused change writes no row). History rows show UF_REASON; rows written by module
 * versions before 1.2, which stored the reason as a public comment, fall back to the acting
 * user's public comment closest in time to the change, at most REASON_WINDOW seconds away.
 *
 * Following an order (a b2b_order_followers row) asks b2bsync to announce its status changes to
 * the follower too; the buyer who placed it hears of them anyway.
 *
 * Internal comments (UF_IS_INTERNAL) are shown, and may be written, only by the company's manager
 * (the company's UF_MANAGER_ID) or the order's responsible manager; buyers never see them.
 */
final class OrderView
{
    public const MAX_TEXT = 2000;
    /** UF_REASON of the status log holds up to 1,000 characters. */
    public const MAX_REASON = 1000;
    public const REASON_WINDOW = 300;

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /**
     * @param callable(int): string $documentUrl the download link of a document row
     * @param list<string> $articleCodes basket properties that hold an article
     * @return array<string, mixed>
     */
    public function build(Membership $m, int $orderId, string $lang, callable $documentUrl, array $articleCodes = OrderList::DEFAULT_ARTICLE_PROPERTIES): array
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::ORDERS_VIEW);
        $order = $scope->order($m, $this->cabinet->orders(), $orderId, $articleCodes);
        $statuses = $this->cabinet->orders()->statuses($lang);
        $rows = $this->cabinet->rows();
        $manager = $this->isManager($m, $order);
        $events = $rows->has(CabinetRows::ORDER_EVENTS)
            ? $rows->all(CabinetRows::ORDER_EVENTS, ['=UF_ORDER_ID' => $orderId], ['ID' => 'ASC'])
            : [];
        $comments = $rows->all(CabinetRows::COMMENTS, ['=UF_ORDER_ID' => $orderId], ['UF_CREATED_AT' => 'ASC']);
        $names = $this->cabinet->names([$order['USER_ID'], $order['RESPONSIBLE_ID'], ...array_column($events, 'UF_USER_ID'), ...array_column($comments, 'UF_USER_ID')]);
        $statusName = static fn (?string $id): string => $id === null || $id === '' ? '' : ($statuses[$id]['NAME'] ?? $id);
        $xml = $statuses[$order['STATUS_ID']]['XML_ID'] ?? '';
        $pending = $xml === OrderList::PENDING && !$order['CANCELED'];
        $mayApprove = $scope->can($m, CabinetAccess::ORDERS_APPROVE);

        $history = [];
        foreach ($events as $event) {
            $newXml = $statuses[(string)$event['UF_NEW_STATUS']]['XML_ID'] ?? '';
            $history[] = [
                'DATE' => CabinetFormat::dateTime($event['UF_CREATED_AT'] ?? null, $lang),
                'FROM' => $statusName($event['UF_OLD_STATUS'] ?? null),
                'TO' => $statusName($event['UF_NEW_STATUS'] ?? null),
                'USER' => isset($event['UF_USER_ID']) ? ($names[(int)$event['UF_USER_ID']] ?? '') : '',
                'REASON' => (string)($event['UF_REASON'] ?? '') !== ''
                    ? (string)$event['UF_REASON']
                    : ($newXml === OrderList::REJECTED ? (string)(self::reason($event, $comments)['UF_TEXT'] ?? '') : ''),
            ];
        }
        $thread = [];
        foreach ($comments as $comment) {
            $internal = (int)($comment['UF_IS_INTERNAL'] ?? 0) === 1;
            if ($internal && !$manager) {
                continue;
            }
            $thread[] = [
                'ID' => $comment['ID'],
                'AUTHOR' => $names[(int)$comment['UF_USER_ID']] ?? '',
                'DATE' => CabinetFormat::dateTime($comment['UF_CREATED_AT'] ?? null, $lang),
                'TEXT' => (string)$comment['UF_TEXT'],
                'INTERNAL' => $internal,
                'MINE' => (int)$comment['UF_USER_ID'] === $m->userId,
            ];
        }
        $basket = [];
        foreach ($order['BASKET'] as $line) {
            $basket[] = [
                'NAME' => (string)$line['NAME'],
                'ARTICLE' => (string)($line['ARTICLE'] ?? ''),
                'QUANTITY' => CabinetFormat::quantity($line['QUANTITY'], $lang) . ($line['MEASURE'] === '' ? '' : ' ' . $line['MEASURE']),
                'PRICE' => CabinetFormat::money($line['PRICE'], $order['CURRENCY'], $lang),
                'SUM' => CabinetFormat::money($line['PRICE'] * $line['QUANTITY'], $order['CURRENCY'], $lang),
            ];
        }
        return [
            'ORDER' => [
                'ID' => $order['ID'],
                'NUMBER' => (string)$order['ACCOUNT_NUMBER'],
                'DATE' => CabinetFormat::dateTime($order['DATE_INSERT'], $lang),
                'STATUS_ID' => $order['STATUS_ID'],
                'STATUS' => $statusName($order['STATUS_ID']),
                'TOTAL' => CabinetFormat::money($order['PRICE'], $order['CURRENCY'], $lang),
                'AUTHOR' => $names[$order['USER_ID']] ?? '',
                'MANAGER' => $order['RESPONSIBLE_ID'] === null ? '' : ($names[$order['RESPONSIBLE_ID']] ?? ''),
                'CANCELED' => $order['CANCELED'],
                'APPROVAL' => OrderList::approval($xml, OrderList::decisions($rows, $statuses, [$orderId])[$orderId] ?? null),
            ],
            'BASKET' => $basket,
            'HISTORY' => $history,
            'DOCUMENTS' => $scope->can($m, CabinetAccess::DOCUMENTS_VIEW) ? $this->documents($m, $orderId, $lang, $documentUrl) : null,
            'COMMENTS' => $thread,
            'CAN_APPROVE' => $pending && $mayApprove,
            'CAN_COMMENT' => $scope->can($m, CabinetAccess::ORDERS_COMMENT) || $manager,
            'CAN_INTERNAL' => $manager,
            'CAN_FOLLOW' => $order['USER_ID'] !== $m->userId && $rows->has(CabinetRows::FOLLOWERS),
            'FOLLOWING' => $this->following($m, $orderId) !== null,
        ];
    }

    /** @return array<string, mixed>|null the user's follower row of the order */
    private function following(Membership $m, int $orderId): ?array
    {
        $rows = $this->cabinet->rows();
        if (!$rows->has(CabinetRows::FOLLOWERS)) {
            return null;
        }
        return $rows->first(CabinetRows::FOLLOWERS, ['=UF_ORDER_ID' => $orderId, '=UF_USER_ID' => $m->userId]);
    }

    /** Ask to hear of the order's status changes (anyone who sees the company's orders). */
    public function follow(Membership $m, int $orderId): void
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::ORDERS_VIEW);
        $scope->order($m, $this->cabinet->orders(), $orderId);
        if ($this->following($m, $orderId) === null) {
            $this->cabinet->rows()->add(CabinetRows::FOLLOWERS, [
                'UF_ORDER_ID' => $orderId,
                'UF_USER_ID' => $m->userId,
                'UF_CREATED_AT' => $this->cabinet->now()->format(\DATE_ATOM),
            ]);
        }
    }

    public function unfollow(Membership $m, int $orderId): void
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::ORDERS_VIEW);
        $scope->order($m, $this->cabinet->orders(), $orderId);
        $row = $this->following($m, $orderId);
        if ($row !== null) {
            $this->cabinet->rows()->delete(CabinetRows::FOLLOWERS, (int)$row['ID']);
        }
    }

    /** @return list<array<string, mixed>> */
    private function documents(Membership $m, int $orderId, string $lang, callable $documentUrl): array
    {
        $rows = $this->cabinet->rows()->all(CabinetRows::DOCUMENTS, ['=UF_COMPANY_ID' => $m->companyId, '=UF_ORDER_ID' => $orderId, '!UF_DELETED' => 1], ['UF_DATE' => 'DESC']);
        return array_map(static fn (array $row): array => DocumentList::shape($row, $lang, $documentUrl), $rows);
    }

    /** @param array<string, mixed> $order */
    private function isManager(Membership $m, array $order): bool
    {
        return ($m->managerId !== null && $m->managerId === $m->userId) || ($order['RESPONSIBLE_ID'] !== null && $order['RESPONSIBLE_ID'] === $m->userId);
    }

    /**
     * The comment that gave a rejection's reason (see the class comment), or null.
     * @param array<string, mixed> $event
     * @param list<array<string, mixed>> $comments oldest first
     * @return array<string, mixed>|null
     */
    public static function reason(array $event, array $comments): ?array
    {
        $at = $event['UF_CREATED_AT'] ?? null;
        $user = isset($event['UF_USER_ID']) ? (int)$event['UF_USER_ID'] : 0;
        if (!$at instanceof \DateTimeInterface || $user <= 0) {
            return null;
        }
        $found = null;
        $best = self::REASON_WINDOW + 1;
        foreach ($comments as $comment) {
            $when = $comment['UF_CREATED_AT'] ?? null;
            if ((int)$comment['UF_USER_ID'] !== $user || (int)($comment['UF_IS_INTERNAL'] ?? 0) === 1 || !$when instanceof \DateTimeInterface) {
                continue;
            }
            $distance = abs($at->getTimestamp() - $when->getTimestamp());
            if ($distance < $best) {
                [$found, $best] = [$comment, $distance];
            }
        }
        return $found;
    }

    /** The order's status with that XML_ID; CabinetDenied(unconfigured) when the site has none. */
    private function status(string $xmlId): string
    {
        foreach ($this->cabinet->orders()->statuses('en') as $id => $status) {
            if ($status['XML_ID'] === $xmlId) {
                return (string)$id;
            }
        }
        throw new CabinetDenied(CabinetDenied::UNCONFIGURED, "no order status with XML_ID $xmlId");
    }

    /** @return array<string, mixed> the order, pending and the owner's to decide */
    private function decidable(Membership $m, int $orderId): array
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::ORDERS_APPROVE);
        $order = $scope->order($m, $this->cabinet->orders(), $orderId);
        if ($order['STATUS_ID'] !== $this->status(OrderList::PENDING) || $order['CANCELED']) {
            // a cancelled order is out of the approval workflow (b2bsync neither moves it on
            // nor reverts a change of it), as the one-click page refuses it too
            throw new CabinetDenied(CabinetDenied::CONFLICT, 'the order is not waiting for approval');
        }
        return $order;
    }

    public function approve(Membership $m, int $orderId): void
    {
        $this->decidable($m, $orderId);
        $this->cabinet->orders()->changeStatus($orderId, $this->status(OrderList::APPROVED), $m->userId);
    }

    public function reject(Membership $m, int $orderId, string $reason): void
    {
        $this->decidable($m, $orderId);
        $text = self::text($reason, 'reason', self::MAX_REASON);
        $status = $this->status(OrderList::REJECTED);
        StatusChangeNote::around($orderId, $text, null, fn () => $this->cabinet->orders()->changeStatus($orderId, $status, $m->userId));
    }

    public function comment(Membership $m, int $orderId, string $text, bool $internal): void
    {
        $scope = $this->cabinet->scope();
        $order = $scope->order($m, $this->cabinet->orders(), $orderId);
        $manager = $this->isManager($m, $order);
        if (!$manager && (!$scope->can($m, CabinetAccess::ORDERS_COMMENT) || !$scope->can($m, CabinetAccess::ORDERS_VIEW))) {
            throw new CabinetDenied(CabinetDenied::CAPABILITY, CabinetAccess::ORDERS_COMMENT);
        }
        if ($internal && !$manager) {
            throw new CabinetDenied(CabinetDenied::CAPABILITY, 'internal comments are for managers');
        }
        $this->addComment($m, $orderId, self::text($text, 'text'), $internal);
    }

    private function addComment(Membership $m, int $orderId, string $text, bool $internal): void
    {
        $this->cabinet->rows()->add(CabinetRows::COMMENTS, [
            'UF_ORDER_ID' => $orderId,
            'UF_USER_ID' => $m->userId,
            'UF_TEXT' => $text,
            'UF_CREATED_AT' => $this->cabinet->now()->format(\DATE_ATOM),
            'UF_IS_INTERNAL' => $internal ? 1 : 0,
        ]);
    }

    private static function text(string $raw, string $field, int $max = self::MAX_TEXT): string
    {
        $text = trim(str_replace("\r\n", "\n", $raw));
        if ($text === '' || preg_match('//u', $text) !== 1 || mb_strlen($text) > $max) {
            throw new CabinetDenied(CabinetDenied::INVALID, $field);
        }
        return $text;
    }
}
