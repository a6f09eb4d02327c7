<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** A new file for a file field: {"fileData": [name, base64]} after checking. */
final class FileUpload
{
    public function __construct(
        public readonly string $name,
        public readonly string $content,
        public readonly string $base64,
    ) {
    }
}
