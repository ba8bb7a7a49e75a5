#pragma once
// /static/live.js: the status pages' only script, and a small one (no framework). It listens to
// the server's events (/events) and, on each, fetches the page it is on again and swaps in the
// new <main> and banner, keeping the reader's focus, scroll position and open <details>. Without
// JavaScript, or without EventSource, the page refreshes itself instead (<noscript> refresh).

#include <string_view>

namespace lk::web {

inline constexpr std::string_view kLiveScript = R"js("use strict";
(function () {
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var busy = false, again = false, timer = 0, last = null;
  function focusKey(main) {
    var a = document.activeElement;
    if (!a || a === main || !main.contains(a)) return null;
    return a.id ? { id: a.id } : { href: a.getAttribute("href") };
  }
  function swap(doc) {
    var main = document.querySelector("main"), fresh = doc.querySelector("main");
    if (!main || !fresh) return;
    var key = focusKey(main), x = window.scrollX, y = window.scrollY;
    var open = [];
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
      var el = key.id ? document.getElementById(key.id) : null;
      if (!el && key.href) {
        main.querySelectorAll("a[href]").forEach(function (a) {
          if (!el && a.getAttribute("href") === key.href) el = a;
        });
      }
      if (el) el.focus({ preventScroll: true });
    }
    window.scrollTo(x, y);
  }
  function refresh() {
    timer = 0;
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: "no-cache", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text && text !== last) {
          last = text;
          swap(new DOMParser().parseFromString(text, "text/html"));
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }
  // Changes come in bursts (one incident touches many checks): fetch once per burst.
  function schedule() { if (!timer) timer = setTimeout(refresh, 500); }
  var events = new EventSource("/events");
  events.onmessage = schedule;
  events.addEventListener("update", schedule);
})();
)js";

}  // namespace lk::web
