<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\FilePort;
use Bitrix\Main\Application;

/**
 * Sending a document: an attached b_file row through CFile::ViewByUser() (force_download, the
 * cabinet's file name; it ends the request itself), an uploaded file by reading it from under the
 * document root after resolving the path once more (realpath must stay inside the upload folder,
 * so a symlink cannot lead elsewhere).
 */
final class SiteFiles implements FilePort
{
    public function sendStored(int $fileId, string $downloadName): bool
    {
        $file = \CFile::GetFileArray($fileId);
        if (!is_array($file)) {
            return false;
        }
        \CFile::ViewByUser($file, ['force_download' => true, 'attachment_name' => $downloadName]);
        return true;
    }

    public function sendUploaded(string $sitePath, string $downloadName): bool
    {
        $root = rtrim((string)realpath(Application::getDocumentRoot()), '/');
        $path = realpath($root . $sitePath);
        $folder = realpath($root . dirname($sitePath));
        if ($path === false || $folder === false || !str_starts_with($path, $folder . '/') || !is_file($path)) {
            return false;
        }
        header('Content-Type: application/pdf');
        header('Content-Length: ' . (string)filesize($path));
        header("Content-Disposition: attachment; filename*=UTF-8''" . rawurlencode($downloadName));
        header('X-Content-Type-Options: nosniff');
        readfile($path);
        return true;
    }
}
