<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * b2bsync.order.status.set — change an order's status as a given user, with a reason in the
 * status log (bridge/contract/51_order_status.json). b2bsync uses it for the one-click approve /
 * reject links of its approval mails (in the owner's name) and for its own moves of the approval
 * workflow (in its own name: on to the next status, back to pending with the reason why).
 *
 * Least privilege: only the module's service user may call it (an administrator's webhook is
 * refused — the method acts in other users' names), and only the statuses of the module option
 * "approval_statuses" may be set (ApprovalStatuses; none before `schema apply` wrote it).
 * FROM_STATUS, when given, must be the order's status now, or nothing changes; an order already
 * in STATUS_ID is left alone too (CHANGED: false either way). The change goes through the sale
 * module (OrderPort::changeStatus), whose status event writes the b2b_order_events row; the
 * StatusChangeNote around it gives that row the acting user and the reason.
 */
final class OrderStatusApi
{
    public const MAX_REASON = 1000;

    public function __construct(
        private readonly OrderPort $orders,
        private readonly RecipientPort $users,
        private readonly OptionPort $options,
        private readonly AccessPort $access,
        private readonly AccessPolicy $policy,
    ) {
    }

    /** @return array{ID: int, OLD_STATUS: string, STATUS_ID: string, CHANGED: bool} */
    public function set(Params $params): array
    {
        $caller = $this->access->callerId();
        if (!$this->policy->isServiceMember($caller)) {
            throw ApiError::of(ErrorCode::ACCESS_DENIED, "only the module's service user may change order statuses in other users' names");
        }
        $orderId = $params->id('ID');
        $status = $params->string('STATUS_ID');
        if (preg_match('/\A[A-Z0-9]{1,2}\z/', $status) !== 1) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'STATUS_ID must be a status ID (1-2 of A-Z, 0-9)');
        }
        $allowed = ApprovalStatuses::fromOption($this->options->option(ApprovalStatuses::OPTION))->allowed();
        if (!in_array($status, $allowed, true)) {
            $known = $allowed === [] ? 'none: run b2bsync schema apply' : implode(', ', $allowed);
            throw ApiError::of(ErrorCode::ACCESS_DENIED, "STATUS_ID $status may not be set (allowed: $known)");
        }
        $userId = $caller;
        if ($params->has('USER_ID')) {
            $given = Params::positiveInt($params->get('USER_ID'));
            if ($given === null) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'USER_ID must be a positive integer');
            }
            $found = $this->users->usersByIds([$given]);
            if ($found === [] || !$found[0]['ACTIVE']) {
                throw ApiError::of(ErrorCode::NOT_FOUND, "no active user $given");
            }
            $userId = $given;
        }
        $reason = trim((string)preg_replace('/\s+/u', ' ', $params->string('REASON', false)));
        if (mb_strlen($reason) > self::MAX_REASON) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'REASON is longer than ' . self::MAX_REASON . ' characters');
        }
        $expected = $params->has('FROM_STATUS') ? $params->string('FROM_STATUS', false) : null;
        $order = $this->orders->order($orderId);
        if ($order === null) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "order $orderId");
        }
        if (!isset($this->orders->statuses('en')[$status])) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "the sale module has no status $status");
        }
        $old = (string)$order['STATUS_ID'];
        if ($old === $status || ($expected !== null && $old !== $expected)) {
            return ['ID' => $orderId, 'OLD_STATUS' => $old, 'STATUS_ID' => $old, 'CHANGED' => false];
        }
        try {
            StatusChangeNote::around($orderId, $reason, $userId, fn () => $this->orders->changeStatus($orderId, $status, $userId));
        } catch (CabinetDenied $e) {
            throw ApiError::of(ErrorCode::VALIDATION, $e->getMessage());
        }
        return ['ID' => $orderId, 'OLD_STATUS' => $old, 'STATUS_ID' => $status, 'CHANGED' => true];
    }
}
