<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\NotifyApi;
use B2bsync\Bridge\Core\WakePing;
use Bitrix\Main\Event;
use Bitrix\Main\Web\HttpClient;

/**
 * Wake-up pings (bridge/contract/events.json). The installer registers onRowAdded for the
 * entity events "<NAME>OnAfterAdd" (module '') of the watched HL-blocks — B2bOrderEvents (so
 * after every status change the status log records), OrderComments and B2bInvites — which
 * Bitrix fires for every row their compiled data class adds, whoever adds it. The ping is sent
 * with Bitrix\Main\Web\HttpClient with a 1 s timeout; any failure is ignored, because b2bsync
 * polls the same blocks anyway and the ping only makes it look sooner.
 */
final class Wakeups
{
    public static function onRowAdded(Event $event): void
    {
        try {
            $table = WakePing::tableForEvent((string)$event->getEventType());
            $id = self::rowId($event->getParameter('id'));
            if ($table === null || $id < 1) {
                return;
            }
            $options = new ModuleOptions();
            $request = WakePing::request(
                $options->option(NotifyApi::OPTION_SIDECAR),
                $options->option(NotifyApi::OPTION_SECRET),
                $table,
                $id,
                time(),
            );
            if ($request === null) {
                return;
            }
            $http = new HttpClient([
                'socketTimeout' => WakePing::TIMEOUT_SECONDS,
                'streamTimeout' => WakePing::TIMEOUT_SECONDS,
                'redirect' => false,
            ]);
            foreach ($request['headers'] as $name => $value) {
                $http->setHeader($name, $value);
            }
            $http->post($request['url'], $request['body']);
        } catch (\Throwable) {
            // ignored: the watcher's poll finds the row anyway
        }
    }

    private static function rowId(mixed $id): int
    {
        if (is_array($id)) {
            $id = $id['ID'] ?? 0;
        }
        return is_numeric($id) ? (int)$id : 0;
    }
}
