<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\AccessPolicy;
use B2bsync\Bridge\Core\HandoffRefused;
use B2bsync\Bridge\Core\LoginHandoff;
use B2bsync\Bridge\Core\WhoAmI;
use B2bsync\Bridge\Tests\Support\MemoryNonces;
use B2bsync\Bridge\Tests\Support\MemorySite;
use PHPUnit\Framework\TestCase;

/**
 * The login hand-off and the who-am-I exchange reproduce bridge/contract/handoff.json, which
 * b2bsync's signer (b2bsync.web._handoff) and the Python fake's pages also pass; a nonce works
 * once; administrators and service users are never logged in by a hand-off.
 */
final class HandoffTest extends TestCase
{
    /** @return array<string, mixed> */
    private static function spec(): array
    {
        return json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/handoff.json'), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    private static function cases(string $part, string $kind): array
    {
        $out = [];
        foreach (self::spec()[$part][$kind] as $i => $case) {
            $out[$case['why'] ?? "$kind $i"] = [$case];
        }
        return $out;
    }

    /** @return array<string, string> */
    private static function query(string $url): array
    {
        parse_str((string)parse_url($url, PHP_URL_QUERY), $query);
        return array_map('strval', $query);
    }

    private static function handoff(string $secret, ?MemoryNonces $nonces = null, ?AccessPolicy $policy = null): LoginHandoff
    {
        return new LoginHandoff($secret, $nonces ?? new MemoryNonces(), $policy);
    }

    public static function loginVectors(): array
    {
        return self::cases('login', 'vectors');
    }

    /**
     * @dataProvider loginVectors
     * @param array<string, mixed> $v
     */
    public function testLoginVector(array $v): void
    {
        self::assertSame($v['canonical'], LoginHandoff::canonical($v['user_id'], $v['expires'], $v['nonce'], $v['path']));
        self::assertSame($v['signature'], LoginHandoff::sign($v['secret'], $v['user_id'], $v['expires'], $v['nonce'], $v['path']));
        self::assertSame($v['url'], LoginHandoff::url($v['base_url'], $v['secret'], $v['user_id'], $v['expires'], $v['nonce'], $v['path']));
        $found = self::handoff($v['secret'])->verify(self::query($v['url']), $v['expires']);
        self::assertSame(['user' => $v['user_id'], 'path' => $v['path']], $found);
    }

    public static function loginInvalid(): array
    {
        return self::cases('login', 'invalid');
    }

    /**
     * @dataProvider loginInvalid
     * @param array<string, mixed> $case
     */
    public function testInvalidHandoffsAreRefusedAndBurnNoNonce(array $case): void
    {
        $nonces = new MemoryNonces();
        $query = ['user' => $case['user'], 'exp' => $case['exp'], 'nonce' => $case['nonce'], 'path' => $case['path'], 'sig' => $case['sig']];
        try {
            self::handoff($case['secret'], $nonces)->verify($query, (int)$case['exp']);
            self::fail('expected a refusal');
        } catch (HandoffRefused $e) {
            self::assertContains($e->reason, [HandoffRefused::MALFORMED, HandoffRefused::SIGNATURE]);
        }
        self::assertSame([], $nonces->used);
    }

    public function testLoginTimeIsInclusiveAndAtMostSixtySeconds(): void
    {
        $v = self::spec()['login']['vectors'][0];
        foreach (self::spec()['login']['time_checks'] as $check) {
            try {
                self::handoff($v['secret'])->verify(self::query($v['url']), $check['now']);
                self::assertTrue($check['valid'], $check['why']);
            } catch (HandoffRefused $e) {
                self::assertFalse($check['valid'], $check['why']);
                self::assertSame($check['reason'], $e->reason, $check['why']);
            }
        }
    }

    public function testANonceWorksOnce(): void
    {
        $v = self::spec()['login']['vectors'][0];
        $nonces = new MemoryNonces();
        $handoff = self::handoff($v['secret'], $nonces);
        self::assertSame(17, $handoff->verify(self::query($v['url']), $v['expires'] - 5)['user']);
        try {
            $handoff->verify(self::query($v['url']), $v['expires'] - 4);
            self::fail('a second use must be refused');
        } catch (HandoffRefused $e) {
            self::assertSame(HandoffRefused::USED, $e->reason);
        }
        $nonces->forget($v['expires'] + 1);
        self::assertSame([], $nonces->used, 'expired nonces are forgotten: they cannot verify any more');
    }

    public function testAdministratorsAndServiceUsersAreNeverLoggedIn(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $policy = new AccessPolicy($site);
        $secret = 's3cr3t-key-for-tests-0123456789abcdef';
        $expires = 1767225660;
        $admin = LoginHandoff::url('https://shop.example.ru/h.php', $secret, 1, $expires, 'n0nce-CCCCCCCCCCCC', '/');
        $nonces = new MemoryNonces();
        try {
            self::handoff($secret, $nonces, $policy)->verify(self::query($admin), $expires);
            self::fail('an administrator must not be logged in by a hand-off');
        } catch (HandoffRefused $e) {
            self::assertSame(HandoffRefused::USER, $e->reason);
        }
        self::assertSame([], $nonces->used);
    }

    public function testAnEmptySecretIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new LoginHandoff('', new MemoryNonces());
    }

    public static function requestVectors(): array
    {
        return self::cases('whoami_request', 'vectors');
    }

    /**
     * @dataProvider requestVectors
     * @param array<string, mixed> $v
     */
    public function testWhoAmIRequestVector(array $v): void
    {
        self::assertSame($v['canonical'], WhoAmI::requestCanonical($v['return_url'], $v['state'], $v['expires']));
        self::assertSame($v['url'], WhoAmI::requestUrl($v['base_url'], $v['secret'], $v['return_url'], $v['state'], $v['expires']));
        $found = (new WhoAmI($v['secret']))->request(self::query($v['url']), $v['expires']);
        self::assertSame(['return' => $v['return_url'], 'state' => $v['state']], $found);
    }

    public static function requestInvalid(): array
    {
        return self::cases('whoami_request', 'invalid');
    }

    /**
     * @dataProvider requestInvalid
     * @param array<string, mixed> $case
     */
    public function testInvalidWhoAmIRequestsAreRefused(array $case): void
    {
        $this->expectException(HandoffRefused::class);
        (new WhoAmI($case['secret']))->request(['return' => $case['return_url'], 'state' => $case['state'], 'exp' => $case['exp'], 'sig' => $case['sig']], (int)$case['exp']);
    }

    public function testWhoAmIRequestTime(): void
    {
        $v = self::spec()['whoami_request']['vectors'][0];
        foreach (self::spec()['whoami_request']['time_checks'] as $check) {
            try {
                (new WhoAmI($v['secret']))->request(self::query($v['url']), $check['now']);
                self::assertTrue($check['valid'], $check['why']);
            } catch (HandoffRefused $e) {
                self::assertFalse($check['valid'], $check['why']);
                self::assertSame($check['reason'], $e->reason);
            }
        }
    }

    public static function answerVectors(): array
    {
        return self::cases('whoami', 'vectors');
    }

    /**
     * @dataProvider answerVectors
     * @param array<string, mixed> $v
     */
    public function testWhoAmIAnswerVector(array $v): void
    {
        $who = new WhoAmI($v['secret']);
        self::assertSame($v['canonical'], WhoAmI::canonical($v['user_id'], $v['state'], $v['expires']));
        self::assertSame($v['url'], $who->answerUrl($v['return_url'], $v['user_id'], $v['state'], $v['expires']));
        self::assertSame($v['user_id'], $who->verifyAnswer(self::query($v['url']), $v['expires']));
    }

    public static function answerInvalid(): array
    {
        return self::cases('whoami', 'invalid');
    }

    /**
     * @dataProvider answerInvalid
     * @param array<string, mixed> $case
     */
    public function testInvalidWhoAmIAnswersAreRefused(array $case): void
    {
        $this->expectException(HandoffRefused::class);
        (new WhoAmI($case['secret']))->verifyAnswer(['user' => $case['user'], 'state' => $case['state'], 'exp' => $case['exp'], 'sig' => $case['sig']], (int)$case['exp']);
    }

    public function testWhoAmIAnswerTime(): void
    {
        $v = self::spec()['whoami']['vectors'][0];
        foreach (self::spec()['whoami']['time_checks'] as $check) {
            try {
                (new WhoAmI($v['secret']))->verifyAnswer(self::query($v['url']), $check['now']);
                self::assertTrue($check['valid'], $check['why']);
            } catch (HandoffRefused $e) {
                self::assertFalse($check['valid'], $check['why']);
                self::assertSame($check['reason'], $e->reason);
            }
        }
    }
}
