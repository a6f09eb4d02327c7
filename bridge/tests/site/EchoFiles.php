<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Site;

use B2bsync\Bridge\Core\FilePort;
use B2bsync\Bridge\Tests\Support\MemorySite;

/**
 * File sending for the page test: the bytes of a MemorySite file (attach mode) or upload (upload
 * mode) sent to the browser as a download, the way CFile::ViewByUser(…, force_download) does.
 */
final class EchoFiles implements FilePort
{
    public function __construct(private readonly MemorySite $site)
    {
    }

    public function sendStored(int $fileId, string $downloadName): bool
    {
        $file = $this->site->file($fileId);
        if ($file === null) {
            return false;
        }
        $this->send($file['content'], $downloadName);
        $this->site->downloads[] = ['stored', $fileId, $downloadName];
        return true;
    }

    public function sendUploaded(string $sitePath, string $downloadName): bool
    {
        if (!isset($this->site->uploads[$sitePath])) {
            return false;
        }
        $this->send($this->site->uploads[$sitePath], $downloadName);
        $this->site->downloads[] = ['uploaded', $sitePath, $downloadName];
        return true;
    }

    private function send(string $content, string $name): void
    {
        header('Content-Type: application/pdf');
        header('Content-Length: ' . strlen($content));
        header("Content-Disposition: attachment; filename*=UTF-8''" . rawurlencode($name));
        echo $content;
    }
}
