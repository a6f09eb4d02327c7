<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Everything a cabinet component needs, made once per request from the site's ports: the role
 * table (module option "roles"), the HL rows, the company scope, and one object per page.
 * The site builds it in \B2bsync\Bridge\Cabinet\SiteCabinet (D7 adapters), the tests over
 * MemorySite; components fetch it from Bitrix's service locator ("b2bsync.bridge.cabinet").
 */
final class Cabinet
{
    private ?CabinetAccess $access = null;
    private ?CabinetRows $rows = null;
    private ?CompanyScope $scope = null;

    public function __construct(
        private readonly BlockPort $blocks,
        private readonly RowPort $rowPort,
        private readonly OrderPort $orders,
        private readonly PeoplePort $people,
        private readonly OptionPort $options,
        private readonly SitePort $site,
        private readonly FilePort $files,
    ) {
    }

    public function access(): CabinetAccess
    {
        return $this->access ??= CabinetAccess::fromOption($this->options->option(OptionApi::ROLES));
    }

    public function rows(): CabinetRows
    {
        return $this->rows ??= new CabinetRows($this->blocks, $this->rowPort, $this->site->timezone());
    }

    public function scope(): CompanyScope
    {
        return $this->scope ??= new CompanyScope($this->rows(), $this->people, $this->access());
    }

    public function orders(): OrderPort
    {
        return $this->orders;
    }

    public function people(): PeoplePort
    {
        return $this->people;
    }

    public function options(): OptionPort
    {
        return $this->options;
    }

    public function files(): FilePort
    {
        return $this->files;
    }

    public function now(): \DateTimeImmutable
    {
        return $this->site->now();
    }

    public function timezone(): \DateTimeZone
    {
        return $this->site->timezone();
    }

    public function header(): CabinetHeader
    {
        return new CabinetHeader($this);
    }

    public function orderList(): OrderList
    {
        return new OrderList($this);
    }

    public function orderView(): OrderView
    {
        return new OrderView($this);
    }

    public function documents(): DocumentList
    {
        return new DocumentList($this);
    }

    public function finance(): FinanceView
    {
        return new FinanceView($this);
    }

    public function notifications(): NotificationList
    {
        return new NotificationList($this);
    }

    public function company(): CompanyView
    {
        return new CompanyView($this);
    }

    /**
     * Names of users by ID ("" for unknown ones), for authors, employees, managers.
     * @param list<int|null> $ids
     * @return array<int, string>
     */
    public function names(array $ids): array
    {
        $ids = array_values(array_unique(array_filter(array_map('intval', $ids), static fn (int $id): bool => $id > 0)));
        $out = [];
        foreach ($this->people->people($ids) as $id => $person) {
            $out[$id] = $person['NAME'];
        }
        return $out;
    }

    /**
     * Links of a list page: the page numbers with their URLs, the current filter kept.
     * @param array<string, mixed> $query
     * @return array{PAGE: int, PAGES: int, TOTAL: int, PREV: ?string, NEXT: ?string}
     */
    public static function paging(string $baseUrl, array $query, int $page, int $total, int $size): array
    {
        $pages = max(1, (int)ceil($total / $size));
        $link = static function (int $n) use ($baseUrl, $query): string {
            $q = $query + ($n > 1 ? ['page' => $n] : []);
            return $baseUrl . ($q === [] ? '' : (str_contains($baseUrl, '?') ? '&' : '?') . http_build_query($q));
        };
        return [
            'PAGE' => $page,
            'PAGES' => $pages,
            'TOTAL' => $total,
            'PREV' => $page > 1 ? $link($page - 1) : null,
            'NEXT' => $page < $pages ? $link($page + 1) : null,
        ];
    }

    /** The page number asked for (?page=N), 1 when absent or not a positive integer. */
    public static function pageNumber(mixed $raw): int
    {
        return Params::positiveInt($raw) ?? 1;
    }
}
