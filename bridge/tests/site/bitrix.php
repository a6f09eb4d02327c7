<?php

declare(strict_types=1);

/*
 * A TEST DOUBLE of the few 1C-Bitrix functions and classes the b2bsync cabinet components use —
 * not Bitrix, and not a general emulation of it. It exists so the components' real class.php,
 * templates and lang files can be rendered without a Bitrix installation: by the PHPUnit
 * snapshot tests (in process) and by PHP's built-in server for the page test in Chromium
 * (router.php). What it stands for, each as small as the components need:
 *
 * - globals: htmlspecialcharsbx (as main/tools.php), bitrix_sessid / bitrix_sessid_post /
 *   check_bitrix_sessid (the POST field or the X-Bitrix-Csrf-Token header), LocalRedirect,
 *   B_PROLOG_INCLUDED;
 * - CMain ($APPLICATION): IncludeComponent (finds b2bsync:<name> in the module's
 *   install/components, or a copy in the site template's components/ folder first, includes
 *   class.php, prepares params, executes), SetTitle, AuthForm, RestartBuffer, GetCurDir;
 * - CBitrixComponent: arParams/arResult, includeComponentTemplate($page) with the template's
 *   lang file, style.css and script.js; CHTTP::SetStatus;
 * - Bitrix\Main: Loader::includeModule (b2bsync.bridge only), Localization\Loc (lang files found
 *   the way Bitrix finds them: the nearest "lang" folder up the tree), Application / Context /
 *   HttpRequest (query, post, URI, headers, language), Engine\CurrentUser, DI\ServiceLocator,
 *   Engine\Controller with its three ActionFilter classes (enforced by BitrixDouble::runAction),
 *   Error.
 *
 * Request state lives in BitrixDouble (set per request by the router or the tests). Ending the
 * request (LocalRedirect, Application::terminate) throws BitrixDoubleEnd, which the caller turns
 * into the HTTP answer.
 */

namespace {
    const B_PROLOG_INCLUDED = true;

    final class BitrixDoubleEnd extends \RuntimeException
    {
    }

    /** The request being rendered and what the page did with it. */
    final class BitrixDouble
    {
        public static string $componentsRoot = '';
        public static ?string $siteTemplateRoot = null;
        public static string $documentRoot = '';
        public static string $lang = 'ru';
        public static int $userId = 0;
        public static string $sessid = '';
        public static string $method = 'GET';
        /** @var array<string, mixed> */
        public static array $get = [];
        /** @var array<string, mixed> */
        public static array $post = [];
        public static string $uri = '/';
        /** @var array<string, string> lower-cased names */
        public static array $headers = [];
        public static string $title = '';
        public static ?string $status = null;
        public static ?string $redirect = null;
        /** @var list<string> web paths of templates' style.css / script.js, in use order */
        public static array $assets = [];
        /** @var array<string, string> component name => class */
        public static array $classes = [];
        /** The output-buffer level the page renders into (RestartBuffer empties it and no outer one). */
        public static int $bufferLevel = 0;

        /** @param array{method?: string, uri?: string, post?: array<string, mixed>, headers?: array<string, string>, user?: int, lang?: string} $request */
        public static function begin(array $request): void
        {
            self::$method = strtoupper($request['method'] ?? 'GET');
            self::$uri = $request['uri'] ?? '/';
            $query = (string)parse_url(self::$uri, PHP_URL_QUERY);
            parse_str($query, $get);
            self::$get = $get;
            self::$post = $request['post'] ?? [];
            self::$headers = array_change_key_case($request['headers'] ?? [], CASE_LOWER);
            self::$userId = $request['user'] ?? 0;
            self::$lang = $request['lang'] ?? 'ru';
            self::$title = '';
            self::$status = null;
            self::$redirect = null;
            self::$assets = [];
            \Bitrix\Main\Localization\Loc::setCurrentLang(self::$lang);
            \Bitrix\Main\Application::getInstance()->reset();
        }

        /** The web path of a file under the components root (assets are served from there). */
        public static function webPath(string $file): string
        {
            $root = rtrim(self::$documentRoot, '/');
            return str_starts_with($file, $root) ? substr($file, strlen($root)) : $file;
        }

        /**
         * A controller action the way main/lib/engine runs it: prefilters checked (method,
         * authentication, CSRF), then the action; the answer in the StandardJson envelope.
         * @return array{0: int, 1: array<string, mixed>}
         */
        public static function runAction(\Bitrix\Main\Engine\Controller $controller, string $action, array $arguments): array
        {
            $deny = static fn (int $status, string $code): array => [$status, ['status' => 'error', 'data' => null, 'errors' => [['message' => $code, 'code' => $code]]]];
            foreach ($controller->prefilters() as $filter) {
                if ($filter instanceof \Bitrix\Main\Engine\ActionFilter\HttpMethod && !in_array(self::$method, $filter->methods, true)) {
                    return $deny(405, 'WRONG_METHOD');
                }
                if ($filter instanceof \Bitrix\Main\Engine\ActionFilter\Authentication && self::$userId <= 0) {
                    return $deny(401, 'NO_AUTH');
                }
                if ($filter instanceof \Bitrix\Main\Engine\ActionFilter\Csrf && !check_bitrix_sessid()) {
                    return $deny(401, 'invalid_csrf');
                }
            }
            $method = $action . 'Action';
            $result = $controller->$method(...$arguments);
            if ($controller->getErrors() !== []) {
                return [400, ['status' => 'error', 'data' => null, 'errors' => array_map(static fn (\Bitrix\Main\Error $e): array => ['message' => $e->getMessage(), 'code' => $e->getCode()], $controller->getErrors())]];
            }
            return [200, ['status' => 'success', 'data' => $result, 'errors' => []]];
        }
    }

    function htmlspecialcharsbx($string, $flags = ENT_COMPAT, $doubleEncode = true)
    {
        return htmlspecialchars((string)$string, $flags, 'UTF-8', $doubleEncode);
    }

    function bitrix_sessid(): string
    {
        return BitrixDouble::$sessid;
    }

    function bitrix_sessid_post($varname = 'sessid'): string
    {
        static $invocations = 0;
        $id = $invocations ? $varname . '_' . $invocations : $varname;
        $invocations++;
        return '<input type="hidden" name="' . $varname . '" id="' . $id . '" value="' . bitrix_sessid() . '" />';
    }

    function check_bitrix_sessid($varname = 'sessid'): bool
    {
        $given = BitrixDouble::$post[$varname] ?? BitrixDouble::$get[$varname] ?? null;
        return BitrixDouble::$sessid !== ''
            && ($given === BitrixDouble::$sessid || (BitrixDouble::$headers['x-bitrix-csrf-token'] ?? null) === BitrixDouble::$sessid);
    }

    function LocalRedirect($url, $skip_security_check = false, $status = '302 Found'): void
    {
        BitrixDouble::$redirect = (string)$url;
        BitrixDouble::$status = $status;
        throw new BitrixDoubleEnd('redirect');
    }

    final class CHTTP
    {
        public static function SetStatus(string $status): void
        {
            BitrixDouble::$status = $status;
        }
    }

    class CBitrixComponent
    {
        /** @var array<string, mixed> */
        public $arParams = [];
        /** @var array<string, mixed> */
        public $arResult = [];
        private string $doubleName = '';
        private string $doublePath = '';

        public function __construct($component = null)
        {
        }

        public function initDouble(string $name, string $path): void
        {
            $this->doubleName = $name;
            $this->doublePath = $path;
        }

        public function getName(): string
        {
            return $this->doubleName;
        }

        public function getPath(): string
        {
            return BitrixDouble::webPath($this->doublePath);
        }

        public function getTemplateName(): string
        {
            return '.default';
        }

        public function onPrepareComponentParams($params)
        {
            return $params;
        }

        public function executeComponent()
        {
            return null;
        }

        /** The template: the site template's copy when there is one, else the component's own. */
        public function includeComponentTemplate($templatePage = ''): void
        {
            [$vendor, $name] = explode(':', $this->doubleName);
            $folder = $this->doublePath . '/templates/.default';
            if (BitrixDouble::$siteTemplateRoot !== null && is_dir(BitrixDouble::$siteTemplateRoot . "/components/$vendor/$name/.default")) {
                $folder = BitrixDouble::$siteTemplateRoot . "/components/$vendor/$name/.default";
            }
            $file = $folder . '/' . ($templatePage === '' ? 'template' : $templatePage) . '.php';
            if (!is_file($file)) {
                throw new \LogicException("no template file $file");
            }
            \Bitrix\Main\Localization\Loc::loadMessages($file);
            foreach (['style.css', 'script.js'] as $asset) {
                $path = BitrixDouble::webPath($folder . '/' . $asset);
                if (is_file($folder . '/' . $asset) && !in_array($path, BitrixDouble::$assets, true)) {
                    BitrixDouble::$assets[] = $path;
                }
            }
            (function (string $__file, array $arResult, array $arParams, CBitrixComponent $component, string $templateFolder): void {
                global $APPLICATION;
                include $__file;
            })($file, $this->arResult, $this->arParams, $this, BitrixDouble::webPath($folder));
        }
    }

    final class CMain
    {
        public function IncludeComponent($componentName, $componentTemplate, $arParams = [], $parentComponent = null)
        {
            [$vendor, $name] = explode(':', (string)$componentName);
            $path = BitrixDouble::$componentsRoot . "/$vendor/$name";
            if (!isset(BitrixDouble::$classes[$componentName])) {
                $before = get_declared_classes();
                require_once $path . '/class.php';
                foreach (array_diff(get_declared_classes(), $before) as $class) {
                    if (is_subclass_of($class, CBitrixComponent::class) && !(new \ReflectionClass($class))->isAbstract()) {
                        BitrixDouble::$classes[$componentName] = $class;
                    }
                }
            }
            $class = BitrixDouble::$classes[$componentName];
            /** @var CBitrixComponent $component */
            $component = new $class($parentComponent);
            $component->initDouble((string)$componentName, $path);
            $component->arParams = $component->onPrepareComponentParams($arParams);
            return $component->executeComponent();
        }

        public function SetTitle($title): void
        {
            BitrixDouble::$title = (string)$title;
        }

        public function GetTitle(): string
        {
            return BitrixDouble::$title;
        }

        public function AuthForm($message): void
        {
            BitrixDouble::$status = '401 Unauthorized';
            echo '<p class="double-auth">Log in first (test double: /login?user=ID).</p>';
        }

        public function RestartBuffer(): void
        {
            while (ob_get_level() > BitrixDouble::$bufferLevel) {
                ob_end_clean();
            }
            if (BitrixDouble::$bufferLevel > 0 && ob_get_level() === BitrixDouble::$bufferLevel) {
                ob_clean();
            }
        }

        public function GetCurDir(): string
        {
            $path = (string)parse_url(BitrixDouble::$uri, PHP_URL_PATH);
            return str_ends_with($path, '/') ? $path : dirname($path) . '/';
        }
    }

    $GLOBALS['APPLICATION'] = new CMain();
}

namespace Bitrix\Main {
    final class Loader
    {
        public static function includeModule($moduleName): bool
        {
            return $moduleName === 'b2bsync.bridge';
        }
    }

    final class Error
    {
        public function __construct(private readonly string $message, private readonly int|string $code = 0)
        {
        }

        public function getMessage(): string
        {
            return $this->message;
        }

        public function getCode(): int|string
        {
            return $this->code;
        }
    }

    final class HttpRequest implements \ArrayAccess
    {
        public function isPost(): bool
        {
            return \BitrixDouble::$method === 'POST';
        }

        public function getPost($name)
        {
            return \BitrixDouble::$post[$name] ?? null;
        }

        public function getQuery($name)
        {
            return \BitrixDouble::$get[$name] ?? null;
        }

        public function getQueryList(): Type\ParameterDictionary
        {
            return new Type\ParameterDictionary(\BitrixDouble::$get);
        }

        public function getRequestUri(): string
        {
            return \BitrixDouble::$uri;
        }

        public function getHeader($name): ?string
        {
            return \BitrixDouble::$headers[strtolower((string)$name)] ?? null;
        }

        public function offsetExists(mixed $offset): bool
        {
            return isset(\BitrixDouble::$post[$offset]) || isset(\BitrixDouble::$get[$offset]);
        }

        public function offsetGet(mixed $offset): mixed
        {
            return \BitrixDouble::$post[$offset] ?? \BitrixDouble::$get[$offset] ?? null;
        }

        public function offsetSet(mixed $offset, mixed $value): void
        {
            throw new \LogicException('the request is read-only');
        }

        public function offsetUnset(mixed $offset): void
        {
            throw new \LogicException('the request is read-only');
        }
    }

    final class Context
    {
        public function getRequest(): HttpRequest
        {
            return new HttpRequest();
        }

        public function getLanguage(): string
        {
            return \BitrixDouble::$lang;
        }
    }

    final class Application
    {
        private static ?Application $instance = null;

        public static function getInstance(): self
        {
            return self::$instance ??= new self();
        }

        public function reset(): void
        {
        }

        public function getContext(): Context
        {
            return new Context();
        }

        public static function getDocumentRoot(): string
        {
            return \BitrixDouble::$documentRoot;
        }

        public function terminate($status = 0): void
        {
            throw new \BitrixDoubleEnd('terminate');
        }
    }
}

namespace Bitrix\Main\Type {
    final class ParameterDictionary
    {
        /** @param array<string, mixed> $values */
        public function __construct(private readonly array $values)
        {
        }

        /** @return array<string, mixed> */
        public function toArray(): array
        {
            return $this->values;
        }
    }
}

namespace Bitrix\Main\Localization {
    /** Messages from lang files, loaded for the current language the way Bitrix finds them. */
    final class Loc
    {
        private static string $lang = 'ru';
        /** @var array<string, true> */
        private static array $files = [];
        /** @var array<string, array<string, string>> lang => code => text */
        private static array $messages = [];
        /** @var array<string, array<string, true>> lang => files already read */
        private static array $read = [];

        public static function setCurrentLang(string $lang): void
        {
            self::$lang = $lang;
        }

        public static function getCurrentLang(): string
        {
            return self::$lang;
        }

        public static function loadMessages($file): void
        {
            self::$files[(string)$file] = true;
        }

        /** The lang file of $file for $lang: the nearest "lang" folder up the tree, as Bitrix looks. */
        public static function langFile(string $file, string $lang): ?string
        {
            $dir = dirname($file);
            $relative = basename($file);
            while ($dir !== '/' && $dir !== '.' && $dir !== '') {
                if (is_dir($dir . '/lang')) {
                    $candidate = "$dir/lang/$lang/$relative";
                    return is_file($candidate) ? $candidate : null;
                }
                $relative = basename($dir) . '/' . $relative;
                $dir = dirname($dir);
            }
            return null;
        }

        public static function getMessage($code, $replace = null, $language = null): ?string
        {
            $lang = $language ?? self::$lang;
            foreach (array_keys(self::$files) as $file) {
                if (isset(self::$read[$lang][$file])) {
                    continue;
                }
                self::$read[$lang][$file] = true;
                $langFile = self::langFile($file, $lang);
                if ($langFile !== null) {
                    $MESS = [];
                    include $langFile;
                    self::$messages[$lang] = array_merge(self::$messages[$lang] ?? [], $MESS);
                }
            }
            $text = self::$messages[$lang][$code] ?? null;
            if ($text !== null && is_array($replace)) {
                $text = strtr($text, array_map('strval', $replace));
            }
            return $text;
        }
    }
}

namespace Bitrix\Main\Engine {
    final class CurrentUser
    {
        public static function get(): self
        {
            return new self();
        }

        public function getId(): ?int
        {
            return \BitrixDouble::$userId > 0 ? \BitrixDouble::$userId : null;
        }
    }

    abstract class Controller
    {
        /** @var list<\Bitrix\Main\Error> */
        private array $errors = [];

        protected function getDefaultPreFilters()
        {
            return [new ActionFilter\Authentication(), new ActionFilter\HttpMethod([ActionFilter\HttpMethod::METHOD_GET, ActionFilter\HttpMethod::METHOD_POST]), new ActionFilter\Csrf()];
        }

        /** @return list<object> the prefilters in force (BitrixDouble::runAction applies them) */
        public function prefilters(): array
        {
            return $this->getDefaultPreFilters();
        }

        protected function getCurrentUser(): ?CurrentUser
        {
            return CurrentUser::get();
        }

        protected function addError(\Bitrix\Main\Error $error): void
        {
            $this->errors[] = $error;
        }

        /** @return list<\Bitrix\Main\Error> */
        public function getErrors(): array
        {
            return $this->errors;
        }
    }
}

namespace Bitrix\Main\Engine\ActionFilter {
    final class Authentication
    {
    }

    final class Csrf
    {
    }

    final class HttpMethod
    {
        public const METHOD_GET = 'GET';
        public const METHOD_POST = 'POST';

        /** @param list<string> $methods */
        public function __construct(public readonly array $methods = [])
        {
        }
    }
}

namespace Bitrix\Main\DI {
    final class ServiceLocator
    {
        private static ?ServiceLocator $instance = null;
        /** @var array<string, mixed> */
        private array $services = [];

        public static function getInstance(): self
        {
            return self::$instance ??= new self();
        }

        public function addInstance(string $code, mixed $service): void
        {
            $this->services[$code] = $service;
        }

        public function has(string $id): bool
        {
            return isset($this->services[$id]);
        }

        public function get(string $id): mixed
        {
            if (!isset($this->services[$id])) {
                throw new \RuntimeException("no service $id");
            }
            return $this->services[$id];
        }
    }
}
