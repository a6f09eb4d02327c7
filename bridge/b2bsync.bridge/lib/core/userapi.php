<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** b2bsync.user.* — find a site user by e-mail, add one. */
final class UserApi
{
    public function __construct(private readonly UserPort $users, private readonly AccessPolicy $policy)
    {
    }

    /**
     * @param array<string, mixed> $user
     * @return array<string, mixed>
     */
    public function answer(array $user): array
    {
        $groups = $this->policy->reportedGroups(array_map('intval', $user['GROUP_IDS']), $this->users->automaticGroups());
        return [
            'ID' => (int)$user['ID'],
            'LOGIN' => (string)$user['LOGIN'],
            'EMAIL' => (string)$user['EMAIL'],
            'NAME' => (string)$user['NAME'],
            'LAST_NAME' => (string)$user['LAST_NAME'],
            'ACTIVE' => Params::yn((bool)$user['ACTIVE']),
            'GROUP_IDS' => $groups,
        ];
    }

    /** @return array<string, mixed>|null */
    public function find(Params $params): ?array
    {
        $user = $this->users->findByEmail(NameRules::email($params->string('EMAIL')));
        if ($user === null || $this->policy->hidesUser((int)$user['ID'])) {
            return null;
        }
        return $this->answer($user);
    }

    public function add(Params $params): int
    {
        $email = NameRules::email($params->string('EMAIL'));
        $password = $params->string('PASSWORD');
        $login = trim($params->string('LOGIN', false, $email));
        $name = $params->string('NAME', false);
        $lastName = $params->string('LAST_NAME', false);
        $groups = $this->groups($params);
        if ($this->users->findByEmail($email) !== null) {
            throw ApiError::of(ErrorCode::USER_EXISTS, 'a user with this e-mail exists');
        }
        if ($this->users->loginExists($login)) {
            throw ApiError::of(ErrorCode::USER_EXISTS, 'a user with this login exists');
        }
        return $this->users->addUser([
            'LOGIN' => $login,
            'EMAIL' => $email,
            'NAME' => $name,
            'LAST_NAME' => $lastName,
            'PASSWORD' => $password,
            'GROUP_IDS' => $groups,
        ]);
    }

    /** @return list<int> */
    private function groups(Params $params): array
    {
        if (!$params->has('GROUP_IDS')) {
            return [];
        }
        $out = [];
        foreach (Params::asList($params->get('GROUP_IDS'), 'GROUP_IDS') as $item) {
            $group = Params::positiveInt($item);
            if ($group === null) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'GROUP_IDS must list group IDs');
            }
            $out[] = $group;
        }
        $out = array_values(array_unique($out));
        sort($out);
        $this->policy->userGroups($out);
        return $out;
    }
}
