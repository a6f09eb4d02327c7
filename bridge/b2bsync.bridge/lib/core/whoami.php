<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * "Who is logged in here?" for b2bsync's invite page (bridge/contract/handoff.json, "whoami_request"
 * and "whoami"). An invitee whose e-mail has an account must prove it by logging in on the store:
 * b2bsync sends the browser to the module's page with return (b2bsync's URL to come back to),
 * state and exp, signed over "b2bsync-whoami-req-v1\n{return}\n{state}\n{exp}" — so the page
 * redirects only where b2bsync said. For the logged-in user (Bitrix shows its login form first to
 * anyone else) it answers by redirecting to return with user, state, exp (now + 60) and sig over
 * "b2bsync-whoami-v1\n{user}\n{state}\n{exp}". b2bsync checks the state against its own cookie
 * and the user's e-mail against the invite.
 */
final class WhoAmI
{
    public const REQUEST_PREFIX = 'b2bsync-whoami-req-v1';
    public const PREFIX = 'b2bsync-whoami-v1';
    public const LIFETIME = 60;
    public const MAX_RETURN = 1024;

    public function __construct(private readonly string $secret)
    {
        if ($secret === '') {
            throw new \InvalidArgumentException('the shared secret is empty');
        }
    }

    public static function requestCanonical(string $returnUrl, string $state, int $expires): string
    {
        return self::REQUEST_PREFIX . "\n" . $returnUrl . "\n" . $state . "\n" . $expires;
    }

    public static function canonical(int $userId, string $state, int $expires): string
    {
        return self::PREFIX . "\n" . $userId . "\n" . $state . "\n" . $expires;
    }

    public static function isReturnUrl(string $url): bool
    {
        return strlen($url) <= self::MAX_RETURN && preg_match('~\Ahttps?://[^\s\x00-\x1f]+\z~u', $url) === 1;
    }

    /** b2bsync's request URL (b2bsync makes it; here for the contract's vectors). */
    public static function requestUrl(string $baseUrl, string $secret, string $returnUrl, string $state, int $expires): string
    {
        return Signature::withQuery($baseUrl, [
            'return' => $returnUrl,
            'state' => $state,
            'exp' => (string)$expires,
            'sig' => Signature::mac($secret, self::requestCanonical($returnUrl, $state, $expires)),
        ]);
    }

    /**
     * The request's return URL and state once it verifies; HandoffRefused otherwise.
     * @param array<string, mixed> $query
     * @return array{return: string, state: string}
     */
    public function request(array $query, int $now): array
    {
        $return = Signature::field($query, 'return');
        $state = Signature::field($query, 'state');
        $exp = Signature::field($query, 'exp');
        if (!self::isReturnUrl($return) || !Signature::isNonce($state) || !Signature::isTime($exp)) {
            throw new HandoffRefused(HandoffRefused::MALFORMED);
        }
        $expected = Signature::mac($this->secret, self::requestCanonical($return, $state, (int)$exp));
        if (!Signature::matches(Signature::field($query, 'sig'), $expected)) {
            throw new HandoffRefused(HandoffRefused::SIGNATURE);
        }
        if ($now > (int)$exp) {
            throw new HandoffRefused(HandoffRefused::EXPIRED);
        }
        return ['return' => $return, 'state' => $state];
    }

    /** Where to send the browser back: return + user, state, exp, sig. */
    public function answerUrl(string $returnUrl, int $userId, string $state, int $expires): string
    {
        return Signature::withQuery($returnUrl, [
            'user' => (string)$userId,
            'state' => $state,
            'exp' => (string)$expires,
            'sig' => Signature::mac($this->secret, self::canonical($userId, $state, $expires)),
        ]);
    }

    /**
     * b2bsync's check of an answer (here for the contract's sake): the user once pattern, MAC
     * and time (now <= exp <= now + 60) hold.
     * @param array<string, mixed> $query
     */
    public function verifyAnswer(array $query, int $now): int
    {
        $user = Signature::field($query, 'user');
        $state = Signature::field($query, 'state');
        $exp = Signature::field($query, 'exp');
        if (!Signature::isId($user) || !Signature::isNonce($state) || !Signature::isTime($exp)) {
            throw new HandoffRefused(HandoffRefused::MALFORMED);
        }
        if (!Signature::matches(Signature::field($query, 'sig'), Signature::mac($this->secret, self::canonical((int)$user, $state, (int)$exp)))) {
            throw new HandoffRefused(HandoffRefused::SIGNATURE);
        }
        LoginHandoff::inTime((int)$exp, $now, self::LIFETIME);
        return (int)$user;
    }
}
