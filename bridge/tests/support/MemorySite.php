<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\AccessPort;
use B2bsync\Bridge\Core\AccountPort;
use B2bsync\Bridge\Core\BlockPort;
use B2bsync\Bridge\Core\MailPort;
use B2bsync\Bridge\Core\RowPort;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\Core\SitePort;
use B2bsync\Bridge\Core\UserPort;

/**
 * Every port of the bridge in memory: the fresh site the contract's scenarios start from (site
 * s1, languages de (inactive), en, ru; user 1 the administrator; groups 1 administrators, 2 all
 * users, 3 and 4 the rating groups added to every new user, 5 the module's service group with
 * sale = W, 6 "B2B buyers", the one group user.add may use). It plays the part the Bitrix core
 * plays on a real site — storage and its defaults, unique indexes, the password policy, D7's
 * count shortcut — and nothing more; every rule of the scope stays in the Core classes under test.
 */
final class MemorySite implements BlockPort, RowPort, UserPort, MailPort, SitePort, AccessPort, AccountPort
{
    use MemoryRows;
    use MemoryMail;
    use MemoryPeople;

    public const SERVICE_GROUP = 5;
    public const BUYERS_GROUP = 6;

    /** @var array<string, int> */
    private array $counters = [];

    public function __construct(private readonly \DateTimeImmutable $now)
    {
        $this->users[1] = ['ID' => 1, 'LOGIN' => 'admin', 'EMAIL' => 'admin@example.ru', 'NAME' => 'Admin', 'LAST_NAME' => 'Local', 'ACTIVE' => true, 'GROUP_IDS' => [1]];
        $this->groups = [
            1 => ['NAME' => 'Administrators', 'STRING_ID' => ''],
            2 => ['NAME' => 'All users', 'STRING_ID' => ''],
            3 => ['NAME' => 'Rating voters', 'STRING_ID' => 'RATING_VOTE'],
            4 => ['NAME' => 'Rating voters (authority)', 'STRING_ID' => 'RATING_VOTE_AUTHORITY'],
            self::SERVICE_GROUP => ['NAME' => 'b2bsync: service account', 'STRING_ID' => ServiceAccount::GROUP_CODE],
            self::BUYERS_GROUP => ['NAME' => 'B2B buyers', 'STRING_ID' => 'B2B_BUYERS'],
        ];
        $this->rights = ['sale' => [self::SERVICE_GROUP => 'W']];
        $this->options = [
            ServiceAccount::OPTION_GROUP => (string)self::SERVICE_GROUP,
            'user_groups' => json_encode([self::BUYERS_GROUP]),
        ];
    }

    private function next(string $kind): int
    {
        $this->counters[$kind] = ($this->counters[$kind] ?? 0) + 1;
        return $this->counters[$kind];
    }

    // SitePort -----------------------------------------------------------------------------
    public function defaultSiteId(): string
    {
        return 's1';
    }

    public function siteIds(): array
    {
        return ['s1'];
    }

    public function languages(): array
    {
        return ['de', 'en', 'ru'];
    }

    public function activeLanguages(): array
    {
        return ['en', 'ru'];
    }

    public function personTypes(): array
    {
        return [];
    }

    public function timezone(): \DateTimeZone
    {
        return new \DateTimeZone('Europe/Moscow');
    }

    public function now(): \DateTimeImmutable
    {
        return $this->now->setTimezone($this->timezone());
    }

    // fixtures: what an administrator does by hand -----------------------------------------

    /** A block made in Content → Highload-blocks: the next block ID, not b2bsync's. */
    public function addBlockByHand(string $name, string $tableName): int
    {
        return $this->addBlock($name, $tableName, []);
    }

    /** The settings page's service user: the next user ID, in the service group only. */
    public function addServiceUserByHand(string $email): int
    {
        return (new ServiceAccount($this))->user($email);
    }
}
