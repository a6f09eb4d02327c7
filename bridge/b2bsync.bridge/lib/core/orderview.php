<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * One order of the current company: basket, status history (b2b_order_events), its documents (for
 * roles that see documents), approve/reject (owners, while the order is pending), the comment
 * thread; and the three actions, each checked here, server-side, whatever the page showed.
 *
 * Approving moves the order from the APPROVAL_PENDING status to APPROVED, rejecting to REJECTED
 * (statuses found by XML_ID, so configured codes work); b2bsync's sidecar takes it from there.
 * The rejection's reason is an order_comments row (public, by the rejecting owner) written right
 * after the status change (checked before it, so a refused reason changes nothing; a refused
 * status change writes no comment): everyone on the order sees why, and the status history pairs
 * it with the change — the reason of a change to REJECTED is the acting user's public comment on
 * the order closest in time to it, at most REASON_WINDOW seconds away.
 *
 * Internal comments (UF_IS_INTERNAL) are shown, and may be written, only by the company's manager
 * (the company's UF_MANAGER_ID) or the order's responsible manager; buyers never see them.
 */
final class OrderView
{
    public const MAX_TEXT = 2000;
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
        $pending = $xml === OrderList::PENDING;
        $mayApprove = $scope->can($m, CabinetAccess::ORDERS_APPROVE);

        $history = [];
        foreach ($events as $event) {
            $newXml = $statuses[(string)$event['UF_NEW_STATUS']]['XML_ID'] ?? '';
            $history[] = [
                'DATE' => CabinetFormat::dateTime($event['UF_CREATED_AT'] ?? null, $lang),
                'FROM' => $statusName($event['UF_OLD_STATUS'] ?? null),
                'TO' => $statusName($event['UF_NEW_STATUS'] ?? null),
                'USER' => isset($event['UF_USER_ID']) ? ($names[(int)$event['UF_USER_ID']] ?? '') : '',
                'REASON' => $newXml === OrderList::REJECTED ? (string)(self::reason($event, $comments)['UF_TEXT'] ?? '') : '',
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
        ];
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
        if ($order['STATUS_ID'] !== $this->status(OrderList::PENDING)) {
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
        $text = self::text($reason, 'reason');
        $this->cabinet->orders()->changeStatus($orderId, $this->status(OrderList::REJECTED), $m->userId);
        $this->addComment($m, $orderId, $text, false);
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

    private static function text(string $raw, string $field): string
    {
        $text = trim(str_replace("\r\n", "\n", $raw));
        if ($text === '' || mb_strlen($text) > self::MAX_TEXT || preg_match('//u', $text) !== 1) {
            throw new CabinetDenied(CabinetDenied::INVALID, $field);
        }
        return $text;
    }
}
