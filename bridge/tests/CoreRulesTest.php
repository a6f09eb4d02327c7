<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\BadValue;
use B2bsync\Bridge\Core\Condition;
use B2bsync\Bridge\Core\IndexSql;
use B2bsync\Bridge\Core\Paging;
use B2bsync\Bridge\Core\TemplateGuard;
use B2bsync\Bridge\Core\UpsertDecision;
use B2bsync\Bridge\Core\ValueCodec;
use PHPUnit\Framework\TestCase;

/** The Core's rules that the Bitrix adapters rely on beyond what the scenarios show. */
final class CoreRulesTest extends TestCase
{
    private static function msk(): \DateTimeZone
    {
        return new \DateTimeZone('Europe/Moscow');
    }

    public function testDateTimesAreReadInTheirZoneAndAnsweredInTheSites(): void
    {
        $field = ['USER_TYPE_ID' => 'datetime', 'MULTIPLE' => false];
        $stored = ValueCodec::convert($field, '2026-11-24T01:00:00.5Z', self::msk());
        self::assertInstanceOf(\DateTimeImmutable::class, $stored);
        self::assertSame('2026-11-24T04:00:00+03:00', ValueCodec::answer($field, $stored, self::msk()));
        self::assertSame('2026-11-24T10:15:00+03:00', ValueCodec::answer($field, ValueCodec::convert($field, '2026-11-24 10:15', self::msk()), self::msk()));
        foreach (['2026-13-01', '2026-02-29', '2026-11-24T24:00:00', '24.11.2026', '2026-11-24T10:00:00+25:00'] as $bad) {
            try {
                ValueCodec::convert($field, $bad, self::msk());
                self::fail("$bad was accepted");
            } catch (BadValue) {
                self::addToAssertionCount(1);
            }
        }
    }

    public function testSameComparesInstantsNumbersAndFiles(): void
    {
        $noFile = static fn (int $id): ?array => $id === 7 ? ['name' => 'a.pdf', 'content' => 'A'] : null;
        $dt = ['USER_TYPE_ID' => 'datetime', 'MULTIPLE' => false];
        $a = ValueCodec::convert($dt, '2026-11-24T04:00:00+03:00', self::msk());
        $b = ValueCodec::convert($dt, '2026-11-24T01:00:00Z', self::msk());
        self::assertTrue(ValueCodec::same($dt, $a, $b, $noFile));
        self::assertTrue(ValueCodec::same(['USER_TYPE_ID' => 'double', 'MULTIPLE' => false], 100000.0, 100000, $noFile));
        $file = ['USER_TYPE_ID' => 'file', 'MULTIPLE' => false];
        self::assertTrue(ValueCodec::same($file, ValueCodec::convert($file, ['fileData' => ['a.pdf', 'QQ==']], self::msk()), 7, $noFile));
        self::assertFalse(ValueCodec::same($file, ValueCodec::convert($file, ['fileData' => ['b.pdf', 'QQ==']], self::msk()), 7, $noFile));
        self::assertFalse(ValueCodec::same(['USER_TYPE_ID' => 'string', 'MULTIPLE' => true], ['b', 'a'], ['a', 'b'], $noFile));
    }

    public function testNullSemanticsOfConditions(): void
    {
        $row = ['X' => null];
        self::assertTrue((new Condition('X', 'ne', 5))->matches($row));
        self::assertTrue((new Condition('X', 'nin', [5]))->matches($row));
        self::assertFalse((new Condition('X', 'nin', [5, null]))->matches($row));
        self::assertTrue((new Condition('X', 'nlike', 'a'))->matches($row));
        self::assertFalse((new Condition('X', 'gt', 0))->matches($row));
        self::assertTrue((new Condition('X', 'eq', null))->matches($row));
        self::assertTrue((new Condition('X', 'eq', 'ÄBC'))->matches(['X' => 'äbc']));
    }

    public function testPagingFloorsAndSkipsTheCount(): void
    {
        self::assertSame(50, Paging::offset('55'));
        self::assertSame(0, Paging::offset('abc'));
        self::assertNull(Paging::offset(-1));
        self::assertSame(['next' => 50, 'total' => 62], Paging::navigation(0, 50, 62));
        self::assertSame(['next' => null, 'total' => 62], Paging::navigation(100, 0, 62));
        self::assertSame(['next' => null, 'total' => null], Paging::navigation(null, 50, null));
    }

    public function testIndexDdlUsesPrefixesForTextColumns(): void
    {
        $quote = static fn (string $id): string => '`' . $id . '`';
        $sql = IndexSql::create($quote, 'b2b_companies', 'ux_xml', [
            ['FIELD_NAME' => 'UF_XML_ID', 'USER_TYPE_ID' => 'string'],
            ['FIELD_NAME' => 'UF_COMPANY_ID', 'USER_TYPE_ID' => 'integer'],
        ], true);
        self::assertSame('CREATE UNIQUE INDEX `ux_xml` ON `b2b_companies` (`UF_XML_ID`(191), `UF_COMPANY_ID`)', $sql);
        $found = IndexSql::fromShowIndex([
            ['Key_name' => 'PRIMARY', 'Non_unique' => 0, 'Seq_in_index' => 1, 'Column_name' => 'ID'],
            ['Key_name' => 'ux', 'Non_unique' => '0', 'Seq_in_index' => 2, 'Column_name' => 'UF_B'],
            ['Key_name' => 'ux', 'Non_unique' => '0', 'Seq_in_index' => 1, 'Column_name' => 'UF_A'],
            ['Key_name' => 'ix', 'Non_unique' => '1', 'Seq_in_index' => 1, 'Column_name' => 'UF_C'],
        ]);
        self::assertSame(['ux' => ['FIELDS' => ['UF_A', 'UF_B'], 'UNIQUE' => true], 'ix' => ['FIELDS' => ['UF_C'], 'UNIQUE' => false]], $found);
    }

    public function testTemplateGuardDecisions(): void
    {
        $mine = ['ID' => 4, 'ACTIVE' => true, 'EMAIL_FROM' => 'a', 'EMAIL_TO' => 'b', 'BCC' => '', 'SUBJECT' => 's', 'MESSAGE' => 'm', 'BODY_TYPE' => 'text'];
        $record = ['ID' => 4, 'FINGERPRINT' => TemplateGuard::fingerprint(TemplateGuard::content($mine))];
        self::assertSame(['ACTION' => 'unchanged', 'ID' => 4], TemplateGuard::decide($record, $mine, $mine, []));
        self::assertSame(['ACTION' => 'updated', 'ID' => 4], TemplateGuard::decide($record, $mine, ['SUBJECT' => 'new'] + $mine, []));
        self::assertSame(['ACTION' => 'kept', 'ID' => 4], TemplateGuard::decide($record, ['ACTIVE' => false] + $mine, $mine, []));
        self::assertSame(['ACTION' => 'kept', 'ID' => 2], TemplateGuard::decide(null, null, $mine, [['ID' => 9], ['ID' => 2]]));
        self::assertSame(['ACTION' => 'added', 'ID' => null], TemplateGuard::decide($record, null, $mine, []));
        self::assertSame('E|s1,s2|ru', TemplateGuard::identity('E', ['s2', 's1'], 'ru'));
    }

    public function testUpsertLockNamesFitMysql(): void
    {
        $name = UpsertDecision::lockName(123456, [['UF_XML_ID' => str_repeat('Ж', 300), 'UF_AT' => new \DateTimeImmutable('@0')]]);
        self::assertLessThanOrEqual(64, strlen($name));
        self::assertSame($name, UpsertDecision::lockName(123456, [['UF_XML_ID' => str_repeat('ж', 300), 'UF_AT' => new \DateTimeImmutable('@0')]]));
        // one lock per chunk, whatever the order of its rows
        $chunk = [['UF_XML_ID' => 'a'], ['UF_XML_ID' => 'b']];
        self::assertSame(UpsertDecision::lockName(7, $chunk), UpsertDecision::lockName(7, array_reverse($chunk)));
        self::assertNotSame(UpsertDecision::lockName(7, $chunk), UpsertDecision::lockName(7, [['UF_XML_ID' => 'a']]));
    }

    public function testAmbiguousKeysAreRefused(): void
    {
        self::assertNull(UpsertDecision::target([]));
        $this->expectException(ApiError::class);
        UpsertDecision::target([['ID' => 1], ['ID' => 2]]);
    }
}
