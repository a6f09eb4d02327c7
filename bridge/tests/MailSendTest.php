<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Mail;
use B2bsync\Bridge\Tests\Support\ContractRunner;
use PHPUnit\Framework\TestCase;

/**
 * mail.send's LANGUAGE_ID on its way to \Bitrix\Main\Mail\Event::send(): through the Core to the
 * port, and into the b_event row the adapter hands to Bitrix.
 */
final class MailSendTest extends TestCase
{
    private static function runner(): ContractRunner
    {
        $runner = new ContractRunner();
        $runner->call('b2bsync.mail.type.ensure', ['EVENT_NAME' => 'B2B_ORDER_APPROVED', 'LID' => 'ru', 'NAME' => 'x']);
        return $runner;
    }

    public function testTheLanguageReachesThePort(): void
    {
        $runner = self::runner();
        $send = ['EVENT_NAME' => 'B2B_ORDER_APPROVED', 'LID' => 's1', 'FIELDS' => ['ORDER_ID' => 17]];
        self::assertSame(200, $runner->call('b2bsync.mail.send', $send + ['LANGUAGE_ID' => 'en'])[0]);
        self::assertSame(200, $runner->call('b2bsync.mail.send', $send)[0]);
        self::assertSame(200, $runner->call('b2bsync.mail.send', $send + ['LANGUAGE_ID' => null])[0]);
        self::assertSame(['en', null, null], array_column($runner->site->sent, 'LANGUAGE_ID'));
    }

    public function testAnUnknownLanguageIsRefusedBeforeAnythingIsQueued(): void
    {
        $runner = self::runner();
        foreach (['xx', '', 7, ['ru']] as $bad) {
            [$status, $body] = $runner->call('b2bsync.mail.send', ['EVENT_NAME' => 'B2B_ORDER_APPROVED', 'LID' => 's1', 'LANGUAGE_ID' => $bad, 'DEDUP_KEY' => 'k']);
            self::assertSame([400, 'ERROR_ARGUMENT'], [$status, $body['error']], json_encode($bad));
        }
        self::assertSame([], $runner->site->sent);
    }

    public function testTheEventRowCarriesTheLanguageOnlyWhenGiven(): void
    {
        self::assertSame(
            ['EVENT_NAME' => 'B2B_ORDER_APPROVED', 'LID' => 's1', 'C_FIELDS' => ['ORDER_ID' => '17'], 'LANGUAGE_ID' => 'en'],
            Mail::event('B2B_ORDER_APPROVED', 's1', ['ORDER_ID' => '17'], 'en')
        );
        self::assertArrayNotHasKey('LANGUAGE_ID', Mail::event('B2B_ORDER_APPROVED', 's1', [], null));
    }
}
