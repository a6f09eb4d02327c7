<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The cabinet's pages, declared once: the complex component b2bsync:cabinet parses requests and
 * builds links with them, and its .parameters.php shows them in the visual editor's SEF settings
 * (SEF_URL_TEMPLATES overrides a page's path template).
 *
 * A page: its default path template under SEF_FOLDER (#VAR# for a variable), the variables it
 * takes, the capability it needs (null: any member), the child component it shows, and whether it
 * is a menu entry. "index" (the folder itself) shows the first menu page the role may open, so an
 * accountant lands on documents and a buyer on orders.
 */
final class CabinetRoutes
{
    public const INDEX = 'index';

    /** @var array<string, array{template: string, variables: list<string>, capability: ?string, component: string, menu: bool}> */
    public const PAGES = [
        'orders' => ['template' => 'orders/', 'variables' => [], 'capability' => CabinetAccess::ORDERS_VIEW, 'component' => 'b2bsync:orders', 'menu' => true],
        'order' => ['template' => 'orders/#ORDER_ID#/', 'variables' => ['ORDER_ID'], 'capability' => CabinetAccess::ORDERS_VIEW, 'component' => 'b2bsync:order', 'menu' => false],
        'documents' => ['template' => 'documents/', 'variables' => [], 'capability' => CabinetAccess::DOCUMENTS_VIEW, 'component' => 'b2bsync:documents', 'menu' => true],
        'finance' => ['template' => 'finance/', 'variables' => [], 'capability' => CabinetAccess::FINANCE_VIEW, 'component' => 'b2bsync:finance', 'menu' => true],
        'notifications' => ['template' => 'notifications/', 'variables' => [], 'capability' => null, 'component' => 'b2bsync:notifications', 'menu' => true],
        'company' => ['template' => 'company/', 'variables' => [], 'capability' => CabinetAccess::COMPANY_MANAGE, 'component' => 'b2bsync:company', 'menu' => true],
    ];

    /** @var array<string, string> page => path template */
    private readonly array $templates;

    /**
     * @param string $folder SEF_FOLDER, e.g. "/cabinet/"
     * @param array<string, mixed> $overrides SEF_URL_TEMPLATES from the parameters (unknown pages and
     *     templates without the page's variables are ignored: the default stays)
     */
    public function __construct(private readonly string $folder, array $overrides = [])
    {
        $templates = [];
        foreach (self::PAGES as $page => $spec) {
            $template = $overrides[$page] ?? null;
            $templates[$page] = is_string($template) && self::fits($template, $spec['variables']) ? ltrim($template, '/') : $spec['template'];
        }
        $this->templates = $templates;
    }

    public static function folder(string $folder): string
    {
        $folder = '/' . trim($folder, '/') . '/';
        return $folder === '//' ? '/' : $folder;
    }

    /** @param list<string> $variables */
    private static function fits(string $template, array $variables): bool
    {
        if ($template === '' || preg_match('~\A[A-Za-z0-9_\-/#.]*\z~', $template) !== 1) {
            return false;
        }
        preg_match_all('/#([A-Z_]+)#/', $template, $m);
        $found = $m[1];
        sort($found);
        sort($variables);
        return $found === $variables;
    }

    /** @return array<string, string> page => the path template in force */
    public function templates(): array
    {
        return $this->templates;
    }

    /**
     * The page a request path asks for, with its variables; null when the path is not one of
     * the cabinet's (the component answers 404). IDs must be positive integers.
     * @return array{0: string, 1: array<string, int>}|null
     */
    public function parse(string $path): ?array
    {
        $path = (string)parse_url($path, PHP_URL_PATH);
        $folder = self::folder($this->folder);
        if (!str_starts_with($path, $folder) && $path . '/' !== $folder) {
            return null;
        }
        $rest = (string)substr($path, strlen($folder));
        if ($rest === '' || $rest === 'index.php') {
            return [self::INDEX, []];
        }
        foreach ($this->templates as $page => $template) {
            $pattern = preg_replace('/\\\\#([A-Z_]+)\\\\#/', '(?P<$1>[1-9][0-9]{0,9})', preg_quote($template, '~'));
            if (preg_match('~\A' . $pattern . '(?:index\.php)?\z~', $rest, $m) === 1) {
                $variables = [];
                foreach (self::PAGES[$page]['variables'] as $name) {
                    $variables[$name] = (int)$m[$name];
                }
                return [$page, $variables];
            }
        }
        return null;
    }

    /** @param array<string, int|string> $variables */
    public function url(string $page, array $variables = []): string
    {
        $folder = self::folder($this->folder);
        if ($page === self::INDEX) {
            return $folder;
        }
        $path = $this->templates[$page];
        foreach ($variables as $name => $value) {
            $path = str_replace('#' . $name . '#', rawurlencode((string)$value), $path);
        }
        return $folder . $path;
    }

    /** A page's link template with its #VARIABLES# left in (for child components' URL parameters). */
    public function template(string $page): string
    {
        return self::folder($this->folder) . ($page === self::INDEX ? '' : $this->templates[$page]);
    }

    /** The first menu page $role may open (the index page), or null when there is none. */
    public static function landing(CabinetAccess $access, string $role): ?string
    {
        foreach (self::PAGES as $page => $spec) {
            if ($spec['menu'] && self::allowed($access, $role, $page)) {
                return $page;
            }
        }
        return null;
    }

    public static function allowed(CabinetAccess $access, string $role, string $page): bool
    {
        $capability = self::PAGES[$page]['capability'] ?? null;
        return isset(self::PAGES[$page]) && ($capability === null ? $access->hasRole($role) : $access->can($role, $capability));
    }

    /** @return list<string> the menu pages $role may open, in declaration order */
    public static function menu(CabinetAccess $access, string $role): array
    {
        return array_values(array_filter(
            array_keys(self::PAGES),
            static fn (string $page): bool => self::PAGES[$page]['menu'] && self::allowed($access, $role, $page),
        ));
    }
}
