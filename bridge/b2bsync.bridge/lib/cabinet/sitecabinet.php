<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\Cabinet;
use B2bsync\Bridge\HlBlocks;
use B2bsync\Bridge\Items;
use B2bsync\Bridge\ModuleOptions;
use B2bsync\Bridge\Site;
use Bitrix\Main\Loader;

/**
 * The cabinet on a real site: the core's Cabinet over the D7 adapters — the same HL-block
 * adapters as the REST scope (HlBlocks, Items), the sale module (SaleOrders), users (SitePeople),
 * files (SiteFiles), the module options (ModuleOptions). Registered as the service
 * "b2bsync.bridge.cabinet" in the module's .settings.php.
 */
final class SiteCabinet
{
    public static function create(): Cabinet
    {
        Loader::includeModule('highloadblock');
        Loader::includeModule('sale');
        $site = new Site();
        $items = new Items($site->timezone());
        return new Cabinet(new HlBlocks(), $items, new SaleOrders($site->timezone()), new SitePeople(), new ModuleOptions(), $site, new SiteFiles());
    }
}
