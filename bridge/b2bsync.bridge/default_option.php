<?php

$b2bsync_bridge_default_option = [
    'link_base_url' => '',
    'link_secret' => '',
    'link_ttl' => '86400',
    'sidecar_url' => '',
];
