/*
 * b2bsync:cabinet — the bell's unread counter. Every data-refresh seconds it POSTs to the
 * module's controller action (b2bsync:bridge.bell.counter, with the session token the controller's
 * CSRF filter checks) and shows the answer; when the pull module pushes "bell" to this user
 * (onPullEvent-b2bsync.bridge), the counter changes at once. No framework: plain DOM and fetch.
 * Without JavaScript the bell is a link to the notifications page with the count at page load.
 */
(function () {
    'use strict';

    function init() {
        var bell = document.querySelector('[data-b2b-bell]');
        if (!bell || bell.getAttribute('data-b2b-ready') === 'Y') {
            return;
        }
        bell.setAttribute('data-b2b-ready', 'Y');
        var counter = bell.querySelector('[data-b2b-unread]');
        var url = bell.getAttribute('data-url');
        var sessid = bell.getAttribute('data-sessid');
        var seconds = parseInt(bell.getAttribute('data-refresh'), 10) || 30;

        function show(unread) {
            var n = parseInt(unread, 10) || 0;
            counter.textContent = String(n);
            if (n > 0) {
                counter.removeAttribute('hidden');
            } else {
                counter.setAttribute('hidden', '');
            }
            bell.setAttribute('data-unread', String(n));
        }

        function refresh() {
            var body = new URLSearchParams();
            body.append('sessid', sessid);
            return fetch(url, {
                method: 'POST',
                credentials: 'same-origin',
                headers: {'X-Bitrix-Csrf-Token': sessid},
                body: body
            }).then(function (response) {
                return response.json();
            }).then(function (answer) {
                if (answer && answer.status === 'success' && answer.data) {
                    show(answer.data.unread);
                }
            }).catch(function () {
                // offline or logged out: the next tick tries again
            });
        }

        window.B2bsyncBell = {refresh: refresh, show: show};
        window.setInterval(refresh, seconds * 1000);
        if (window.BX && typeof window.BX.addCustomEvent === 'function') {
            window.BX.addCustomEvent('onPullEvent-b2bsync.bridge', function (command, params) {
                if (command === 'bell' && params) {
                    show(params.unread);
                }
            });
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
