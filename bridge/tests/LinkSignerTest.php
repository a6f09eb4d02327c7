<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\LinkSigner;
use PHPUnit\Framework\TestCase;

/** The PHP signer reproduces bridge/contract/signing.json, which b2bsync's verifier also passes. */
final class LinkSignerTest extends TestCase
{
    /** @return array<string, mixed> */
    private static function spec(): array
    {
        return json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/signing.json'), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function vectors(): array
    {
        $out = [];
        foreach (self::spec()['vectors'] as $i => $vector) {
            $out["vector $i"] = [$vector];
        }
        return $out;
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function invalid(): array
    {
        $out = [];
        foreach (self::spec()['invalid'] as $case) {
            $out[$case['why']] = [$case];
        }
        return $out;
    }

    /**
     * @dataProvider vectors
     * @param array<string, mixed> $v
     */
    public function testVector(array $v): void
    {
        $signer = new LinkSigner($v['secret']);
        self::assertSame($v['canonical'], LinkSigner::canonical($v['document_id'], $v['user_id'], $v['expires']));
        self::assertSame($v['signature'], $signer->sign($v['document_id'], $v['user_id'], $v['expires']));
        self::assertSame($v['url'], $signer->url($v['base_url'], $v['document_id'], $v['user_id'], $v['expires']));
        self::assertTrue($signer->verify($v['document_id'], (string)$v['user_id'], (string)$v['expires'], $v['signature'], $v['expires']));
    }

    /**
     * @dataProvider invalid
     * @param array<string, mixed> $case
     */
    public function testInvalidCasesDoNotVerify(array $case): void
    {
        $signer = new LinkSigner($case['secret']);
        self::assertFalse($signer->verify($case['document_id'], (string)$case['user_id'], (string)$case['expires'], $case['signature'], 0));
    }

    public function testExpiryIsInclusive(): void
    {
        $v = self::spec()['vectors'][0];
        $signer = new LinkSigner($v['secret']);
        foreach (self::spec()['expiry_checks'] as $check) {
            self::assertSame(
                $check['valid'],
                $signer->verify($v['document_id'], (string)$v['user_id'], (string)$check['expires'], $v['signature'], $check['now']),
            );
        }
    }

    public function testNonCanonicalNumbersAreRefused(): void
    {
        $v = self::spec()['vectors'][0];
        $signer = new LinkSigner($v['secret']);
        self::assertFalse($signer->verify($v['document_id'], '0' . $v['user_id'], (string)$v['expires'], $v['signature'], 0));
        self::assertFalse($signer->verify($v['document_id'], (string)$v['user_id'], '+' . $v['expires'], $v['signature'], 0));
    }

    public function testBadInputIsRefusedBeforeSigning(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        (new LinkSigner('k'))->sign('../etc/passwd', 1, 1);
    }

    public function testAnEmptySecretIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new LinkSigner('');
    }
}
