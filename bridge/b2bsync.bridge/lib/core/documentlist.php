<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The company's documents from 1C (b2b_documents): filters by type, date range, number (part of
 * it) and order number; documents 1C deleted (UF_DELETED) are never shown nor downloaded.
 *
 * Every document is downloaded through the cabinet's own link (?download=ID), which checks the
 * role and the company first and then, by how b2bsync stored the file:
 * - link mode (UF_EXTERNAL_URL is an http(s) address of b2bsync's download endpoint): a redirect
 *   to that address signed for this user and the document's 1C GUID (UF_XML_ID, the id in the
 *   address b2bsync wrote; the row ID when the GUID does not fit the link's pattern) — LinkSigner,
 *   module options link_secret and link_ttl;
 * - attach mode (UF_FILE_ID): the attached file is sent;
 * - upload mode (UF_EXTERNAL_URL is a site path "{prefix}/{company id}/{file}"): that file is sent
 *   — only from under the prefix, only from the company's own folder, never a path with "..".
 */
final class DocumentList
{
    public const PAGE_SIZE = 20;
    public const TYPES = ['invoice', 'waybill', 'reconciliation', 'upd', 'act'];
    public const DEFAULT_UPLOAD_PREFIX = '/upload/b2b/docs/';
    public const DEFAULT_LINK_TTL = 86400;

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /**
     * @param array<string, mixed> $get type, from, to, number, order, page
     * @param callable(int): string $downloadUrl
     * @return array<string, mixed>
     */
    public function build(Membership $m, array $get, string $lang, string $baseUrl, callable $downloadUrl): array
    {
        $this->cabinet->scope()->require($m, CabinetAccess::DOCUMENTS_VIEW);
        $errors = [];
        $filter = ['=UF_COMPANY_ID' => $m->companyId, '!UF_DELETED' => 1];
        $kept = [];
        $type = $get['type'] ?? '';
        if ($type !== '' && $type !== null) {
            if (is_string($type) && in_array($type, self::TYPES, true)) {
                $filter['=UF_DOC_TYPE'] = $kept['type'] = $type;
            } else {
                $errors[] = 'type';
            }
        }
        foreach (['from' => '>=UF_DATE', 'to' => '<=UF_DATE'] as $name => $key) {
            $raw = $get[$name] ?? '';
            if ($raw === '' || $raw === null) {
                continue;
            }
            $day = is_string($raw) ? \DateTimeImmutable::createFromFormat('!Y-m-d', $raw) : false;
            if ($day === false || $day->format('Y-m-d') !== $raw) {
                $errors[] = $name;
                continue;
            }
            $filter[$key] = $kept[$name] = $raw;
        }
        $number = is_string($get['number'] ?? null) ? trim($get['number']) : '';
        if ($number !== '') {
            if (mb_strlen($number) > 50) {
                $errors[] = 'number';
            } else {
                $filter['%UF_NUMBER'] = $kept['number'] = $number;
            }
        }
        $orderRaw = $get['order'] ?? '';
        if ($orderRaw !== '' && $orderRaw !== null) {
            $orderId = Params::positiveInt($orderRaw);
            if ($orderId === null) {
                $errors[] = 'order';
            } else {
                $filter['=UF_ORDER_ID'] = $orderId;
                $kept['order'] = (string)$orderId;
            }
        }
        $page = Cabinet::pageNumber($get['page'] ?? null);
        $found = $errors !== [] ? ['rows' => [], 'total' => 0]
            : $this->cabinet->rows()->find(CabinetRows::DOCUMENTS, $filter, ['UF_DATE' => 'DESC', 'ID' => 'DESC'], self::PAGE_SIZE, ($page - 1) * self::PAGE_SIZE);
        return [
            'DOCUMENTS' => array_map(static fn (array $row): array => self::shape($row, $lang, $downloadUrl), $found['rows']),
            'FILTER' => $kept + ['type' => '', 'from' => '', 'to' => '', 'number' => '', 'order' => ''],
            'ERRORS' => $errors,
            'TYPES' => self::TYPES,
            'PAGING' => Cabinet::paging($baseUrl, $kept, $page, (int)$found['total'], self::PAGE_SIZE),
        ];
    }

    /**
     * @param array<string, mixed> $row
     * @param callable(int): string $downloadUrl
     * @return array<string, mixed>
     */
    public static function shape(array $row, string $lang, callable $downloadUrl): array
    {
        $hasFile = !empty($row['UF_FILE_ID']) || (string)($row['UF_EXTERNAL_URL'] ?? '') !== '';
        return [
            'ID' => $row['ID'],
            'TYPE' => (string)($row['UF_DOC_TYPE'] ?? ''),
            'NUMBER' => trim((string)$row['UF_NUMBER']),
            'DATE' => CabinetFormat::date($row['UF_DATE'] ?? null, $lang),
            'AMOUNT' => isset($row['UF_AMOUNT']) ? CabinetFormat::money((float)$row['UF_AMOUNT'], (string)($row['UF_CURRENCY'] ?? ''), $lang) : '',
            'ORDER_ID' => isset($row['UF_ORDER_ID']) ? (int)$row['UF_ORDER_ID'] : null,
            'URL' => $hasFile ? $downloadUrl((int)$row['ID']) : null,
        ];
    }

    /**
     * What the download of document $documentId is, after the role and company checks:
     * ['redirect', url] | ['stored', file ID, name] | ['uploaded', site path, name].
     * @return array{0: string, 1: string|int, 2?: string}
     */
    public function download(Membership $m, int $documentId, string $uploadPrefix = self::DEFAULT_UPLOAD_PREFIX): array
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::DOCUMENTS_VIEW);
        $row = $scope->document($m, $documentId);
        $name = self::fileName($row);
        if (!empty($row['UF_FILE_ID'])) {
            return ['stored', (int)$row['UF_FILE_ID'], $name];
        }
        $url = trim((string)($row['UF_EXTERNAL_URL'] ?? ''));
        if (preg_match('~\Ahttps?://~i', $url) === 1) {
            $options = $this->cabinet->options();
            $secret = (string)$options->option('link_secret');
            if ($secret === '') {
                throw new CabinetDenied(CabinetDenied::UNCONFIGURED, 'link_secret is not set in the module settings');
            }
            $ttl = Params::positiveInt($options->option('link_ttl')) ?? self::DEFAULT_LINK_TTL;
            $guid = (string)($row['UF_XML_ID'] ?? '');
            $signedId = preg_match('/\A[A-Za-z0-9_-]{1,64}\z/', $guid) === 1 ? $guid : (string)$documentId;
            $signed = (new LinkSigner($secret))->urlFor($url, $signedId, $m->userId, $this->cabinet->now()->getTimestamp(), $ttl);
            return ['redirect', $signed];
        }
        $path = self::uploadedPath($url, $uploadPrefix, $m->companyId);
        if ($path === null) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "document $documentId has no file");
        }
        return ['uploaded', $path, $name];
    }

    /** The site path of an upload-mode file of $companyId, or null when $url is not one. */
    public static function uploadedPath(string $url, string $prefix, int $companyId): ?string
    {
        $prefix = '/' . trim($prefix, '/') . '/';
        $path = rawurldecode((string)parse_url($url, PHP_URL_PATH));
        if (!str_starts_with($path, $prefix) || str_contains($path, '..') || str_contains($path, '\\') || str_contains($path, "\0")) {
            return null;
        }
        $rest = explode('/', substr($path, strlen($prefix)));
        if (count($rest) !== 2 || $rest[0] !== (string)$companyId || $rest[1] === '' || $rest[1][0] === '.') {
            return null;
        }
        return $path;
    }

    /** @param array<string, mixed> $row */
    private static function fileName(array $row): string
    {
        $number = preg_replace('/[^\p{L}\p{N}_-]+/u', '_', trim((string)$row['UF_NUMBER'])) ?: (string)$row['ID'];
        return ($row['UF_DOC_TYPE'] ?? 'document') . '-' . trim($number, '_') . '.pdf';
    }
}
