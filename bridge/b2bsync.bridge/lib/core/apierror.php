<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * An answer of the scope's error envelope: {"error": code, "error_description": message}.
 * RestService turns it into \Bitrix\Rest\RestException at the REST boundary.
 */
final class ApiError extends \RuntimeException
{
    public function __construct(private readonly string $errorCode, string $message)
    {
        parent::__construct($message);
    }

    public static function of(string $errorCode, string $message): self
    {
        return new self($errorCode, $message);
    }

    public function errorCode(): string
    {
        return $this->errorCode;
    }

    public function httpStatus(): int
    {
        return ErrorCode::status($this->errorCode);
    }
}
