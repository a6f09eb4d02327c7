<?php

declare(strict_types=1);

/*
 * A TEST DOUBLE of the few sale-module and main-module classes the order guard's handler
 * (B2bsync\Bridge\CheckoutGuard) touches — not Bitrix. Shapes as in main and sale 25.x:
 * Main\Event (getParameter), Main\EventResult (UNDEFINED 0, SUCCESS 1, ERROR 2; type, parameters,
 * module), Sale\ResultError (message, code), Sale\Result (errors), Sale\OrderBase with isNew(),
 * getPrice(), getCurrency(), setField() and getPropertyCollection()->getItemByOrderPropertyCode()
 * returning a PropertyValue (setValue()) or null. A test may make setValue()/setField() fail, as
 * an OnSaleBeforeStatusOrderChange handler of another module can. Load after site/bitrix.php.
 */

namespace Bitrix\Main {
    if (!class_exists(Event::class)) {
        class Event
        {
            /** @param array<string, mixed> $parameters */
            public function __construct(private readonly string $moduleId, private readonly string $type, private readonly array $parameters = [])
            {
            }

            public function getParameter($key)
            {
                return $this->parameters[$key] ?? null;
            }
        }
    }

    if (!class_exists(EventResult::class)) {
        class EventResult
        {
            public const UNDEFINED = 0;
            public const SUCCESS = 1;
            public const ERROR = 2;

            public function __construct(private $type, private $parameters = null, private $moduleId = null, private $handler = null)
            {
            }

            public function getType()
            {
                return $this->type;
            }

            public function getParameters()
            {
                return $this->parameters;
            }

            public function getModuleId()
            {
                return $this->moduleId;
            }
        }
    }
}

namespace Bitrix\Sale {
    class ResultError
    {
        public function __construct(private readonly string $message, private readonly int|string $code = 0)
        {
        }

        public function getMessage(): string
        {
            return $this->message;
        }

        public function getCode(): int|string
        {
            return $this->code;
        }
    }

    class Result
    {
        /** @var list<ResultError> */
        private array $errors = [];

        public function addError(ResultError $error): self
        {
            $this->errors[] = $error;
            return $this;
        }

        public function isSuccess(): bool
        {
            return $this->errors === [];
        }

        /** @return list<string> */
        public function getErrorMessages(): array
        {
            return array_map(static fn (ResultError $e): string => $e->getMessage(), $this->errors);
        }
    }

    class PropertyValue
    {
        public mixed $value = null;
        public ?string $refuse = null;

        public function __construct(public readonly string $code)
        {
        }

        public function setValue($value): Result
        {
            $result = new Result();
            if ($this->refuse !== null) {
                return $result->addError(new ResultError($this->refuse));
            }
            $this->value = $value;
            return $result;
        }
    }

    class PropertyValueCollection
    {
        /** @param list<PropertyValue> $items */
        public function __construct(public array $items = [])
        {
        }

        public function getItemByOrderPropertyCode(string $propertyCode): ?PropertyValue
        {
            foreach ($this->items as $item) {
                if ($item->code === $propertyCode) {
                    return $item;
                }
            }
            return null;
        }
    }

    class OrderBase
    {
        /** @var array<string, mixed> */
        public array $fields = ['STATUS_ID' => 'N'];
        /** @var array<string, string> field => why another module's handler refuses a change */
        public array $refuse = [];

        public function __construct(
            public readonly PropertyValueCollection $properties,
            public float $price = 0.0,
            public string $currency = 'RUB',
            public bool $new = true,
        ) {
        }

        public function isNew(): bool
        {
            return $this->new;
        }

        public function getPrice(): float
        {
            return $this->price;
        }

        public function getCurrency(): string
        {
            return $this->currency;
        }

        public function getPropertyCollection(): PropertyValueCollection
        {
            return $this->properties;
        }

        public function getField($name)
        {
            return $this->fields[$name] ?? null;
        }

        public function setField($name, $value): Result
        {
            $result = new Result();
            if (isset($this->refuse[$name])) {
                return $result->addError(new ResultError($this->refuse[$name]));
            }
            $this->fields[$name] = $value;
            return $result;
        }
    }
}
