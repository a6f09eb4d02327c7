<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\BridgeApi;
use B2bsync\Bridge\Core\OrderEventWriter;

/**
 * Replays a scenario of bridge/contract/ (format: bridge/contract/README.md) against BridgeApi
 * over a MemorySite, the way the rest module would call it: the method looked up in the scope's
 * description, "start" taken out of the query and read with intval, the answer or the
 * RestException put into the REST envelope, everything through a JSON round trip.
 */
final class ContractRunner
{
    public readonly MemorySite $site;
    private readonly BridgeApi $api;

    public function __construct()
    {
        $this->site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $this->api = new BridgeApi($this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site);
    }

    /** @return list<string> every scenario file */
    public static function scenarios(): array
    {
        $files = glob(B2BSYNC_CONTRACT_DIR . '/[0-9][0-9]_*.json') ?: [];
        sort($files);
        return $files;
    }

    /** @return array<string, mixed> */
    public static function load(string $file): array
    {
        return json_decode((string)file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * Every problem found, one line each (empty when the scenario passes).
     * @param array<string, mixed> $scenario
     * @return list<string>
     */
    public function run(array $scenario): array
    {
        $problems = [];
        foreach (self::expand($scenario['steps']) as [$number, $step]) {
            if (isset($step['fixture'])) {
                $this->fixture($step['fixture'], $step['args']);
                continue;
            }
            if (isset($step['mail_event'])) {
                $wanted = $step['mail_event'];
                $found = $this->site->delivery($wanted['ID']);
                $actual = $found === null ? null : ['ID' => $wanted['ID']] + $found;
                if ($actual !== null) {
                    ksort($actual);
                }
                ksort($wanted);
                if ($actual !== $wanted) {
                    $problems[] = "step $number mail_event: " . json_encode($actual, JSON_UNESCAPED_UNICODE) . ', expected ' . json_encode($wanted, JSON_UNESCAPED_UNICODE);
                }
                continue;
            }
            [$status, $body] = $this->call($step['method'], $step['params']);
            foreach (self::check($step['expect'], $status, $body) as $problem) {
                $problems[] = "step $number {$step['method']} " . json_encode($step['params'], JSON_UNESCAPED_UNICODE) . ": $problem";
            }
        }
        return $problems;
    }

    /**
     * @param array<array-key, mixed> $params
     * @return array{0: int, 1: array<string, mixed>}
     */
    public function call(string $method, array $params): array
    {
        $start = 0;
        if (array_key_exists('start', $params)) {
            $start = is_array($params['start']) ? 0 : (int)$params['start'];
            unset($params['start']);
        }
        try {
            $answer = $this->api->call($method, $params, $start);
        } catch (ApiError $e) {
            return [$e->httpStatus(), ['error' => $e->errorCode(), 'error_description' => $e->getMessage()]];
        }
        $body = ['result' => $answer['result']];
        if ($answer['next'] !== null) {
            $body['next'] = $answer['next'];
        }
        if ($answer['total'] !== null) {
            $body['total'] = $answer['total'];
        }
        return [200, json_decode(json_encode($body, JSON_THROW_ON_ERROR), true, 512, JSON_THROW_ON_ERROR)];
    }

    /** @param array<string, mixed> $args */
    private function fixture(string $name, array $args): void
    {
        $site = $this->site;
        switch ($name) {
            case 'order_status_change':
                // USER_ID is the session's user; the order's EMP_STATUS_ID (if given) is not read
                (new OrderEventWriter($site, $site, $site))->write($args['ORDER_ID'], $args['OLD_STATUS'], $args['NEW_STATUS'], $args['USER_ID']);
                return;
            case 'caller':
                $site->callerId = (int)$args['USER_ID'];
                return;
            case 'order_statuses':
                $sort = 150;
                foreach ($args['STATUSES'] as $code => $xmlId) {
                    $site->statuses[(string)$code] = ['XML_ID' => $xmlId, 'SORT' => $sort++, 'NAMES' => []];
                }
                return;
            case 'order_add_by_hand':
                $site->addOrder(['ID' => (int)$args['ID'], 'STATUS_ID' => $args['STATUS_ID'], 'USER_ID' => (int)$args['USER_ID'], 'PRICE' => 0.0, 'BASKET' => []]);
                return;
            case 'service_user':
                $site->addServiceUserByHand($args['EMAIL']);
                return;
            case 'module_options':
                if (array_key_exists('HLBLOCKS', $args)) {
                    $site->options['hl_allowed'] = json_encode($args['HLBLOCKS']);
                }
                if (array_key_exists('USER_GROUPS', $args)) {
                    $site->options['user_groups'] = json_encode($args['USER_GROUPS']);
                }
                return;
            case 'hlblock_add_by_hand':
                $site->addBlockByHand($args['NAME'], $args['TABLE_NAME']);
                return;
            case 'mail_type_add_by_hand':
                $site->addType(['EVENT_NAME' => $args['EVENT_NAME'], 'LID' => $args['LID'], 'NAME' => $args['NAME'], 'DESCRIPTION' => '', 'SORT' => 100]);
                return;
            case 'mail_template_edit':
                foreach ($args['FIELDS'] as $key => $value) {
                    $site->templates[$args['ID']][$key] = $key === 'ACTIVE' ? $value === 'Y' : $value;
                }
                return;
            case 'mail_template_add':
                $site->addTemplate([
                    'EVENT_NAME' => $args['EVENT_NAME'],
                    'LID' => $args['LID'],
                    'LANGUAGE_ID' => $args['LANGUAGE_ID'] ?? '',
                    'ACTIVE' => true,
                    'EMAIL_FROM' => $args['EMAIL_FROM'] ?? '#DEFAULT_EMAIL_FROM#',
                    'EMAIL_TO' => $args['EMAIL_TO'],
                    'BCC' => '',
                    'SUBJECT' => $args['SUBJECT'],
                    'MESSAGE' => $args['MESSAGE'],
                    'BODY_TYPE' => $args['BODY_TYPE'] ?? 'text',
                ]);
                return;
            case 'mail_template_delete':
                unset($site->templates[$args['ID']]);
                return;
            case 'module_option':
                $site->options[$args['NAME']] = $args['VALUE'];
                return;
            case 'user_language':
                $site->users[$args['ID']]['LANGUAGE_ID'] = $args['LANGUAGE_ID'];
                return;
        }
        throw new \LogicException("unknown fixture $name");
    }

    /**
     * @param list<array<string, mixed>> $steps
     * @return \Generator<array{0: int, 1: array<string, mixed>}>
     */
    private static function expand(array $steps): \Generator
    {
        foreach ($steps as $index => $step) {
            if (!isset($step['repeat'])) {
                yield [$index + 1, $step];
                continue;
            }
            $loop = $step['repeat'];
            unset($step['repeat']);
            for ($i = $loop['from']; $i <= $loop['to']; $i++) {
                yield [$index + 1, self::substitute($step, [$loop['var'] => $i])];
            }
        }
    }

    /** @param array<string, int> $env */
    private static function substitute(mixed $value, array $env): mixed
    {
        if (is_string($value)) {
            if (preg_match('/\A\{\{(\w+)\}\}\z/', $value, $m) === 1) {
                return $env[$m[1]];
            }
            return (string)preg_replace_callback('/\{\{(\w+)\}\}/', static fn (array $m): string => (string)$env[$m[1]], $value);
        }
        if (is_array($value)) {
            return array_map(static fn (mixed $v): mixed => self::substitute($v, $env), $value);
        }
        return $value;
    }

    /**
     * @param array<string, mixed> $expect
     * @param array<string, mixed> $body
     * @return list<string>
     */
    public static function check(array $expect, int $status, array $body): array
    {
        if ($status !== $expect['status']) {
            return ["status $status, expected {$expect['status']}: " . json_encode($body, JSON_UNESCAPED_UNICODE)];
        }
        if (array_key_exists('error', $expect)) {
            return ($body['error'] ?? null) === $expect['error'] ? [] : ['error ' . json_encode($body, JSON_UNESCAPED_UNICODE) . ", expected {$expect['error']}"];
        }
        if (array_key_exists('error', $body)) {
            return ['unexpected error ' . json_encode($body, JSON_UNESCAPED_UNICODE)];
        }
        $problems = [];
        $result = $body['result'] ?? null;
        if (array_key_exists('result', $expect) && !self::equal($expect['result'], $result)) {
            $problems[] = 'result ' . json_encode($result, JSON_UNESCAPED_UNICODE) . ', expected ' . json_encode($expect['result'], JSON_UNESCAPED_UNICODE);
        }
        if (array_key_exists('result_subset', $expect)) {
            $problems = [...$problems, ...self::subset($expect['result_subset'], $result, 'result')];
        }
        if (array_key_exists('result_ids', $expect)) {
            $ids = is_array($result) ? array_map(static fn (mixed $row): mixed => is_array($row) ? ($row['ID'] ?? null) : null, $result) : $result;
            if ($ids !== $expect['result_ids']) {
                $problems[] = 'IDs ' . json_encode($ids) . ', expected ' . json_encode($expect['result_ids']);
            }
        }
        if (array_key_exists('result_count', $expect) && (!is_array($result) || count($result) !== $expect['result_count'])) {
            $problems[] = json_encode($result, JSON_UNESCAPED_UNICODE) . " does not hold {$expect['result_count']} rows";
        }
        foreach (['total', 'next'] as $key) {
            if (array_key_exists($key, $expect) && ($body[$key] ?? null) !== $expect[$key]) {
                $problems[] = "$key " . json_encode($body[$key] ?? null) . ', expected ' . json_encode($expect[$key]);
            }
        }
        return $problems;
    }

    /** JSON equality: 1 equals 1.0, booleans and null only themselves. */
    public static function equal(mixed $expected, mixed $actual): bool
    {
        if (is_array($expected) && is_array($actual)) {
            if (array_keys($expected) !== array_keys($actual)) {
                return false;
            }
            foreach ($expected as $key => $value) {
                if (!self::equal($value, $actual[$key])) {
                    return false;
                }
            }
            return true;
        }
        if ((is_int($expected) || is_float($expected)) && (is_int($actual) || is_float($actual))) {
            return (float)$expected === (float)$actual;
        }
        return $expected === $actual;
    }

    /** @return list<string> */
    private static function subset(mixed $expected, mixed $actual, string $path): array
    {
        if ($expected === []) {
            return $actual === [] ? [] : ["$path: expected [], got " . json_encode($actual, JSON_UNESCAPED_UNICODE)];
        }
        if (is_array($expected) && !array_is_list($expected)) {
            if (!is_array($actual)) {
                return ["$path: expected an object, got " . json_encode($actual, JSON_UNESCAPED_UNICODE)];
            }
            $out = [];
            foreach ($expected as $key => $value) {
                if (!array_key_exists($key, $actual)) {
                    $out[] = "$path.$key: missing";
                } else {
                    $out = [...$out, ...self::subset($value, $actual[$key], "$path.$key")];
                }
            }
            return $out;
        }
        if (is_array($expected)) {
            if (!is_array($actual) || count($actual) !== count($expected)) {
                return ["$path: expected " . count($expected) . ' items, got ' . json_encode($actual, JSON_UNESCAPED_UNICODE)];
            }
            $out = [];
            foreach ($expected as $i => $value) {
                $out = [...$out, ...self::subset($value, $actual[$i] ?? null, "{$path}[$i]")];
            }
            return $out;
        }
        return self::equal($expected, $actual) ? [] : ["$path: expected " . json_encode($expected, JSON_UNESCAPED_UNICODE) . ', got ' . json_encode($actual, JSON_UNESCAPED_UNICODE)];
    }
}
