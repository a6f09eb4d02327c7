<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** A value that does not fit its field; the message is the one-line reason. */
final class BadValue extends \InvalidArgumentException
{
}
