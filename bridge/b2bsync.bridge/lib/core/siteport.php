<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** Facts about the site (\B2bsync\Bridge\Site; in memory in the tests). */
interface SitePort
{
    public function defaultSiteId(): string;

    /** @return list<string> */
    public function siteIds(): array;

    /** @return list<string> every language of the site, active or not */
    public function languages(): array;

    /** @return list<string> */
    public function activeLanguages(): array;

    /** @return list<array{ID: int, NAME: string, CODE: ?string, ACTIVE: string}> the sale module's payer types */
    public function personTypes(): array;

    public function timezone(): \DateTimeZone;

    public function now(): \DateTimeImmutable;
}
