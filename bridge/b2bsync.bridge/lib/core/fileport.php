<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Sending a document to the browser (\B2bsync\Bridge\Cabinet\SiteFiles; in memory in the tests):
 * a file attached to the row (b_file, attach mode) or one b2bsync wrote under the site's upload
 * folder (upload mode). Both answer false when the file is not there, before anything is sent.
 */
interface FilePort
{
    public function sendStored(int $fileId, string $downloadName): bool;

    /** $sitePath is site-relative and already checked by Documents (under the upload prefix, no "..") */
    public function sendUploaded(string $sitePath, string $downloadName): bool;
}
