<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** {"id": N, "remove": "Y"}: take the row's file N away. */
final class FileRemove
{
    public function __construct(public readonly int $fileId)
    {
    }
}
