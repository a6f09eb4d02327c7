<?php

$arModuleVersion = [
    'VERSION' => '1.2.0',
    'VERSION_DATE' => '2026-12-04 18:00:00',
];
