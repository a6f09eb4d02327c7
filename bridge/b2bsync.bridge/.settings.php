<?php

/*
 * b2bsync.bridge module settings read by Bitrix\Main\Config\Configuration:
 * - controllers: AJAX actions under \B2bsync\Bridge\Controller, called as
 *   "b2bsync:bridge.<controller>.<action>" (the cabinet's bell: b2bsync:bridge.bell.counter);
 * - services: the cabinet the components use; a site can replace it in /bitrix/.settings.php.
 */
return [
    'controllers' => [
        'value' => [
            'defaultNamespace' => '\\B2bsync\\Bridge\\Controller',
        ],
        'readonly' => true,
    ],
    'services' => [
        'value' => [
            'b2bsync.bridge.cabinet' => [
                'constructor' => static function () {
                    return \B2bsync\Bridge\Cabinet\SiteCabinet::create();
                },
            ],
        ],
        'readonly' => true,
    ],
];
