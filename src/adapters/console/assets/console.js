// Visto Bueno — the console's only script (served at /console/console.js). The page works without
// it; with it, forms open as modal dialogs and the conversation redraws itself when anything changes
// (server-sent events from /console/events), so two windows see each other's decisions live.
(function () {
  'use strict';
  var body = document.body;
  var status = document.getElementById('live-status');

  function say(text, offline) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('offline', Boolean(offline));
  }

  // A form or a confirmation the server rendered open: made modal (focus stays inside; Escape closes).
  var dialog = document.getElementById('dialog');
  if (dialog && typeof dialog.showModal === 'function') {
    dialog.close();
    dialog.showModal();
    var scrim = document.querySelector('.scrim');
    if (scrim) scrim.remove();
    var first = dialog.querySelector('[aria-invalid="true"], input:not([type="hidden"]), textarea, select, button');
    if (first) first.focus();
    dialog.addEventListener('cancel', function (e) {
      var close = dialog.querySelector('a.btn, a[data-close]');
      if (close) {
        e.preventDefault();
        location.href = close.getAttribute('href');
      }
    });
  }

  function scrollToEnd() {
    var list = document.querySelector('#messages .msgs');
    if (list && list.lastElementChild && !location.hash.match(/^#m\d+$/)) list.lastElementChild.scrollIntoView({ block: 'end' });
  }
  scrollToEnd();

  // Live updates: on any change, the page is fetched again and the parts that show state are swapped.
  var url = body.getAttribute('data-events');
  if (!url || typeof EventSource !== 'function') return;
  var busy = false;
  var again = false;
  function redraw() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, 'text/html');
        ['messages', 'side', 'demo-now'].forEach(function (id) {
          var now = document.getElementById(id);
          var then = next.getElementById(id);
          if (now && then && now.innerHTML !== then.innerHTML) now.innerHTML = then.innerHTML;
        });
        var select = document.getElementById('who');
        var nextSelect = next.getElementById('who');
        if (select && nextSelect && document.activeElement !== select) select.innerHTML = nextSelect.innerHTML;
        scrollToEnd();
        say(body.getAttribute('data-live'));
      })
      .catch(function () {
        say(body.getAttribute('data-offline'), true);
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          redraw();
        }
      });
  }
  var events = new EventSource(url);
  events.addEventListener('changed', redraw);
  var lost = false;
  events.addEventListener('open', function () {
    body.setAttribute('data-connected', '1');
    // Back after a break: what changed meanwhile is drawn now.
    if (lost) redraw();
    lost = false;
  });
  events.addEventListener('error', function () {
    body.removeAttribute('data-connected');
    lost = true;
    say(body.getAttribute('data-offline'), true);
  });
})();
