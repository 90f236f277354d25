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

  // On a phone the office's list folds away (the conversation comes first); it opens with a tap.
  var office = document.getElementById('office');
  if (office && window.matchMedia && window.matchMedia('(max-width: 47.99rem)').matches) office.removeAttribute('open');

  // A form or a confirmation the server rendered open: made modal (focus stays inside; Escape closes).
  var dialog = document.getElementById('dialog');
  if (dialog && typeof dialog.showModal === 'function') {
    dialog.close();
    dialog.showModal();
    var scrim = document.querySelector('.scrim');
    if (scrim) scrim.remove();
    // After the browser's own jump to #dialog: the error summary when there are errors, else the first field.
    var first = dialog.querySelector('.error-summary') || dialog.querySelector('input:not([type="hidden"]), textarea, select, button');
    if (first) setTimeout(function () { first.focus(); }, 0);
    dialog.addEventListener('cancel', function (e) {
      var close = dialog.querySelector('a.btn, a[data-close]');
      if (close) {
        e.preventDefault();
        location.href = close.getAttribute('href');
      }
    });
  }

  // The newest message is at the bottom, right above the composer: shown at once (no animation).
  function atEnd() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 80;
  }
  function scrollToEnd() {
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
  }
  // Only a conversation with messages scrolls: an empty one opens at the top (the header whole).
  if (!location.hash.match(/^#m\d+$/) && !dialog && document.querySelector('#messages .msgs')) scrollToEnd();

  // A redraw keeps the keyboard where it was: the same control of the same message.
  function focusKey() {
    var el = document.activeElement;
    var box = document.getElementById('messages');
    if (!el || !box || !box.contains(el)) return null;
    var msg = el.closest('li.msg');
    if (!msg) return null;
    var all = Array.prototype.slice.call(msg.querySelectorAll('a[href], button, input, select, textarea'));
    return { id: msg.id, index: all.indexOf(el) };
  }
  function refocus(key) {
    if (!key) return;
    var msg = document.getElementById(key.id);
    var all = msg ? msg.querySelectorAll('a[href], button, input, select, textarea') : [];
    var el = all[key.index] || msg;
    if (el) {
      if (el === msg) msg.setAttribute('tabindex', '-1');
      el.focus({ preventScroll: true });
    }
  }

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
        var key = focusKey();
        var follow = atEnd();
        var officeOpen = document.getElementById('office');
        var wasOpen = officeOpen ? officeOpen.hasAttribute('open') : null;
        ['messages', 'side', 'demo-now'].forEach(function (id) {
          var now = document.getElementById(id);
          var then = next.getElementById(id);
          if (now && then && now.innerHTML !== then.innerHTML) now.innerHTML = then.innerHTML;
        });
        var select = document.getElementById('who');
        var nextSelect = next.getElementById('who');
        if (select && nextSelect && document.activeElement !== select) select.innerHTML = nextSelect.innerHTML;
        var officeNow = document.getElementById('office');
        if (officeNow && wasOpen !== null) officeNow.toggleAttribute('open', wasOpen);
        refocus(key);
        // Reading older messages: left where they were; at the end: the new ones come into view.
        if (follow && !key) scrollToEnd();
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
