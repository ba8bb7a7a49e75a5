#pragma once
// /static/live.js: the status pages' only script, and a small one (no framework). It listens to
// the server's events (/events: "status" events, or unnamed ones) and, on each, fetches the page
// it is on again and swaps in the new <main> and banner, keeping the reader's focus, scroll
// position and open <details>. Without JavaScript the page refreshes itself instead (<noscript>
// refresh); without events from the server, the script polls as often.

#include <string_view>

namespace lk::web {

inline constexpr std::string_view kLiveScript = R"js("use strict";
(function () {
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var busy = false, again = false, timer = 0, last = null;
  function swap(doc) {
    var main = document.querySelector("main"), fresh = doc.querySelector("main");
    if (!main || !fresh) return;
    var a = document.activeElement, x = scrollX, y = scrollY, open = [];
    var key = a && a !== main && main.contains(a) ? a.id || a.getAttribute("href") : null;
    main.querySelectorAll("details").forEach(function (d, i) { if (d.open) open.push(i); });
    var banner = document.getElementById("banner"), next = doc.getElementById("banner");
    if (banner && next) {
      banner.className = next.className;
      banner.textContent = next.textContent;
    }
    main.innerHTML = fresh.innerHTML;
    var details = main.querySelectorAll("details");
    open.forEach(function (i) { if (details[i]) details[i].open = true; });
    document.title = doc.title;
    if (key) {
      var el = document.getElementById(key);
      main.querySelectorAll("a[href]").forEach(function (l) {
        if (!el && l.getAttribute("href") === key) el = l;
      });
      if (el) el.focus({ preventScroll: true });
    }
    scrollTo(x, y);
  }
  function refresh() {
    timer = 0;
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: "no-cache" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text && text !== last) {
          last = text;
          swap(new DOMParser().parseFromString(text, "text/html"));
        }
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  // Changes come in bursts (one outage touches many checks): fetch once per burst.
  function schedule() { if (!timer) timer = setTimeout(refresh, 500); }
  var events = new EventSource("/events");
  events.onmessage = schedule;
  events.addEventListener("status", schedule);
  // Without events from the server (none, or a proxy that drops them) the stream closes for
  // good: poll then, as the page would without JavaScript.
  events.onerror = function () { if (events.readyState === 2) setInterval(refresh, 60000); };
})();
)js";

}  // namespace lk::web
