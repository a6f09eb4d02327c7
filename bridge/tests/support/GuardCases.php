<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\GuardReader;

/**
 * The cases of bridge/contract/order_guard.json: each case's input merged into the defaults (its
 * keys replace the defaults', "config" and "order" are merged key by key; "roles" absent means
 * roles.json), the texts of the module's language files, and a case loaded into a site — a
 * CabinetWorld with the schema applied and no data — as `schema apply` and b2bsync's syncs would
 * have left it, so GuardReader reads it through the cabinet's ports.
 */
final class GuardCases
{
    /** @return array<string, mixed> */
    public static function doc(): array
    {
        return json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/order_guard.json'), true, 64, JSON_THROW_ON_ERROR);
    }

    /**
     * @param array<string, mixed> $case
     * @return array<string, mixed>
     */
    public static function input(array $case): array
    {
        $data = self::doc()['defaults'];
        $data['roles'] = json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/roles.json'), true, 64, JSON_THROW_ON_ERROR);
        foreach ($case['input'] as $key => $value) {
            if (in_array($key, ['config', 'order'], true) && is_array($value) && is_array($data[$key] ?? null)) {
                $data[$key] = $value + $data[$key];
            } else {
                $data[$key] = $value;
            }
        }
        return $data;
    }

    /** @return array<string, array<string, string>> message => lang => text, from lang/{ru,en}/lib/checkoutguard.php */
    public static function templates(): array
    {
        $out = [];
        foreach (['ru', 'en'] as $lang) {
            $MESS = [];
            include dirname(__DIR__, 2) . "/b2bsync.bridge/lang/$lang/lib/checkoutguard.php";
            foreach ($MESS as $key => $text) {
                $out[strtolower(substr($key, strlen('B2BSYNC_BRIDGE_GUARD_')))][$lang] = $text;
            }
        }
        return $out;
    }

    /**
     * A site holding the case's rows and options; the reader over it.
     * @param array<string, mixed> $input
     */
    public static function site(array $input): GuardReader
    {
        $world = new CabinetWorld(false);
        $site = $world->site;
        unset($site->options['roles']);
        if ($input['roles'] !== null) {
            $world->call('b2bsync.option.set', ['NAME' => 'roles', 'VALUE' => $input['roles']]);
        }
        if ($input['config'] !== null) {
            $world->call('b2bsync.option.set', ['NAME' => 'guard', 'VALUE' => $input['config']]);
        }
        foreach ($input['companies'] as $company) {
            $fields = ['UF_XML_ID' => 'guid-' . $company['ID'], 'UF_NAME' => $company['UF_NAME'], 'UF_APPROVAL_THRESHOLD' => $company['UF_APPROVAL_THRESHOLD']];
            $fields['UF_APPROVAL_MODE'] = $company['UF_APPROVAL_MODE'] === null ? null : $world->item('B2bCompanies', 'UF_APPROVAL_MODE', $company['UF_APPROVAL_MODE']);
            $id = $world->add('B2bCompanies', $fields);
            if ($id !== $company['ID']) {
                throw new \LogicException("companies must be listed with IDs 1, 2, …: got $id for {$company['ID']}");
            }
        }
        foreach ($input['members'] as $member) {
            $world->add('B2bCompanyUsers', ['UF_ROLE' => $world->item('B2bCompanyUsers', 'UF_ROLE', $member['UF_ROLE'])] + $member);
        }
        foreach ($input['credit'] as $credit) {
            $world->add('B2bCreditStatus', $credit);
        }
        if ($input['preferred_company'] !== null) {
            $site->setPreferredCompany((int)$input['user_id'], (int)$input['preferred_company']);
        }
        return new GuardReader($site, $site, $site, $site, $site->timezone());
    }

    /** Object keys sorted at every level, so two decisions compare whatever order they were built in. */
    public static function sorted(mixed $value): mixed
    {
        if (!is_array($value)) {
            return $value;
        }
        $value = array_map([self::class, 'sorted'], $value);
        if (!array_is_list($value)) {
            ksort($value);
        }
        return $value;
    }
}
