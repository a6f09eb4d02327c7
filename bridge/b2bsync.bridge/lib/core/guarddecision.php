<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the order guard decided (OrderGuard): pass (not a B2B order: nothing changes), save
 * (B2B_COMPANY_ID set), pending (that, and STATUS_ID = the pending status; every reason found),
 * refuse (the order is not saved; CODE is the \Bitrix\Sale\ResultError code the checkout and
 * REST get, MESSAGE the contract's message key, PARAMS its parameters).
 */
final class GuardDecision
{
    public const PASS = 'pass';
    public const SAVE = 'save';
    public const PENDING = 'pending';
    public const REFUSE = 'refuse';

    /**
     * @param list<string> $reasons
     * @param array<string, string|float> $params
     */
    public function __construct(
        public readonly string $kind,
        public readonly ?int $companyId = null,
        public readonly ?string $status = null,
        public readonly array $reasons = [],
        public readonly ?string $code = null,
        public readonly ?string $message = null,
        public readonly array $params = [],
    ) {
    }

    /** The language-file key of the refusal's text (lang/{ru,en}/lib/checkoutguard.php). */
    public function messageKey(): string
    {
        return 'B2BSYNC_BRIDGE_GUARD_' . strtoupper((string)$this->message);
    }

    /**
     * The contract's "expect" form, texts rendered from $templates (message key => [lang => text]).
     * @param array<string, array<string, string>> $templates
     * @return array<string, mixed>
     */
    public function toArray(array $templates, CabinetAccess $roles): array
    {
        if ($this->kind === self::PASS) {
            return ['decision' => self::PASS];
        }
        $out = ['decision' => $this->kind, 'company_id' => $this->companyId];
        if ($this->kind === self::PENDING) {
            $out += ['status' => $this->status, 'reasons' => $this->reasons];
        }
        if ($this->kind === self::REFUSE) {
            $text = [];
            foreach (['ru', 'en'] as $lang) {
                $text[$lang] = GuardText::render($templates[(string)$this->message][$lang] ?? '', $this->params, $roles, $lang);
            }
            $out += ['code' => $this->code, 'message' => $this->message, 'params' => $this->params, 'text' => $text];
        }
        return $out;
    }
}
