#pragma once
// The status page's stylesheet, kept apart from the markup so that page.cpp reads as structure.

#include <string_view>

namespace lk::web {

// Colours come in pairs (light, dark) through custom properties; states carry a word as well as
// a colour. The layout is a single column of cards, so it reads on a phone without zooming.
inline constexpr std::string_view kStatusPageCss = R"css(
:root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#5b6470;--card:#fff;--line:#dde1e6;
--ok:#1f883d;--warn:#b08800;--minor:#e36209;--fail:#cf222e;--none:#c8ccd1;--pending:#6e7781;--link:#0a58ca}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;
--line:#30363d;--ok:#3fb950;--warn:#d29922;--minor:#f0883e;--fail:#f85149;--none:#3d444d;
--pending:#8b949e;--link:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:960px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.5rem;margin:0 0 12px}
h2{font-size:1.15rem;margin:28px 0 10px}
a{color:var(--link)}
.banner{margin:0;padding:14px 16px;border-radius:8px;font-weight:600;color:#fff;background:var(--pending)}
.banner.s-ok{background:var(--ok)}.banner.s-warn{background:var(--warn)}
.banner.s-fail{background:var(--fail)}
ul.checks{list-style:none;margin:0;padding:0}
.check{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:0 0 8px}
.top{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
.name{font-weight:600;overflow-wrap:anywhere}
.state{font-weight:600}
.state.s-ok{color:var(--ok)}.state.s-warn{color:var(--warn)}.state.s-fail{color:var(--fail)}
.state.s-pending,.state.s-unknown,.state.s-paused{color:var(--pending)}
.meta{color:var(--muted);font-size:.9em;overflow-wrap:anywhere}
.uptime{display:flex;flex-wrap:wrap;gap:2px 14px;margin:6px 0;padding:0;font-size:.9em}
.uptime dt{display:inline;color:var(--muted)}.uptime dd{display:inline;margin:0 0 0 4px}
.graphs{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
svg.bar{flex:1 1 360px;height:28px;min-width:200px}
svg.spark{flex:0 0 120px;height:24px}
.d-ok{fill:var(--ok)}.d-warn{fill:var(--warn)}.d-minor{fill:var(--minor)}
.d-major{fill:var(--fail)}.d-none{fill:var(--none)}
.sl{fill:none;stroke:var(--link);stroke-width:1.5}.sp{fill:var(--link)}.sf{fill:var(--fail)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:.92em}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
td.cause{overflow-wrap:anywhere}
.none{color:var(--muted)}
footer{color:var(--muted);font-size:.85em;padding:24px 16px 32px}
)css";

}  // namespace lk::web
