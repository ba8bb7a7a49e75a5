#pragma once
// The status pages' stylesheet, kept apart from the markup so that the renderers read as
// structure. The colours are data (two palettes) so that a test can hold them to WCAG contrast.

#include <string>
#include <string_view>

namespace lk::web {

/// The colours of one colour scheme. Text colours are AA (4.5:1) on `bg` and `card`; state
/// colours are AA as text on both and with `on_state` written on them (the banner); bar colours
/// are 3:1 against `card` (WCAG 1.4.11, graphics).
struct Palette {
  std::string_view bg, card, fg, muted, line, link, on_state;
  std::string_view ok, degraded, down, maintenance, no_data;  ///< states, as text and fills
  std::string_view minor_outage, no_data_bar;                 ///< fills of the bars only
};

inline constexpr Palette kLightPalette{
    .bg = "#f6f8fa",
    .card = "#ffffff",
    .fg = "#1f2328",
    .muted = "#59636e",
    .line = "#d1d9e0",
    .link = "#0969da",
    .on_state = "#ffffff",
    .ok = "#1a7f37",
    .degraded = "#9a6700",
    .down = "#cf222e",
    .maintenance = "#0969da",
    .no_data = "#59636e",
    .minor_outage = "#bc4c00",
    .no_data_bar = "#818b98",
};

inline constexpr Palette kDarkPalette{
    .bg = "#0d1117",
    .card = "#151b23",
    .fg = "#f0f6fc",
    .muted = "#9198a1",
    .line = "#3d444d",
    .link = "#4493f8",
    .on_state = "#0d1117",
    .ok = "#3fb950",
    .degraded = "#d29922",
    .down = "#f85149",
    .maintenance = "#4493f8",
    .no_data = "#9198a1",
    .minor_outage = "#db6d28",
    .no_data_bar = "#656c76",
};

/// The custom properties of a palette: "--bg:#f6f8fa;--card:...".
inline std::string palette_properties(const Palette& p) {
  std::string out;
  auto add = [&](std::string_view name, std::string_view value) {
    out.append("--").append(name).append(":").append(value).append(";");
  };
  add("bg", p.bg);
  add("card", p.card);
  add("fg", p.fg);
  add("mu", p.muted);
  add("ln", p.line);
  add("a", p.link);
  add("on", p.on_state);
  add("ok", p.ok);
  add("dg", p.degraded);
  add("dn", p.down);
  add("mt", p.maintenance);
  add("nd", p.no_data);
  add("mi", p.minor_outage);
  add("nb", p.no_data_bar);
  return out;
}

// Short class names keep a page of 40 components small: s-* states (with a word beside the
// colour, always), d0-d4 days of the bars, cs the component list, rp a report, tl a timeline.
// One column that wraps, so the page reads on a phone without zooming.
inline constexpr std::string_view kLayoutCss = R"css(
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:960px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
a{color:var(--a)}
a:focus-visible,summary:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:16px;top:8px;background:var(--card);padding:8px 12px;z-index:1}
h1{font-size:1.6rem;margin:0 0 4px;display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;overflow-wrap:anywhere}
h1 img,.brand img{max-height:40px;max-width:220px}
.brand{margin:0;font-weight:600;display:flex;align-items:center;gap:10px}
h2{font-size:1.25rem;margin:28px 0 10px}
h3{font-size:1.05rem;margin:18px 0 8px}
h4,h5,h6{font-size:1rem;margin:10px 0 4px}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;margin:8px 0 14px;padding:0}
nav [aria-current]{font-weight:600;color:var(--fg)}
.banner{margin:0 0 8px;padding:14px 16px;border-radius:8px;font-weight:600;font-size:1.1rem;color:var(--on);background:var(--nd)}
.banner.s-ok{background:var(--ok)}.banner.s-dg{background:var(--dg)}.banner.s-dn{background:var(--dn)}.banner.s-mt{background:var(--mt)}
ul.cs{list-style:none;margin:0 0 8px;padding:0;background:var(--card);border:1px solid var(--ln);border-radius:8px}
ul.cs>li{padding:10px 14px;border-top:1px solid var(--ln)}
ul.cs>li:first-child{border-top:0}
.r{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 12px}
.r .n{font-weight:600;margin-right:auto;overflow-wrap:anywhere}
.st{font-weight:600}
.st.s-ok{color:var(--ok)}.st.s-dg{color:var(--dg)}.st.s-dn{color:var(--dn)}.st.s-mt{color:var(--mt)}.st.s-nd{color:var(--nd)}
.mu,.none{color:var(--mu)}
.mu{font-size:.9em}
svg.b{display:block;width:100%;height:28px;margin-top:6px}
.b path{stroke-width:24;stroke-dasharray:3 1}.b rect{fill:transparent}
.d0{stroke:var(--ok)}.d1{stroke:var(--dg)}.d2{stroke:var(--mi)}.d3{stroke:var(--dn)}.d4{stroke:var(--nb)}
.rp{background:var(--card);border:1px solid var(--ln);border-left:4px solid var(--nd);border-radius:8px;padding:10px 14px;margin:0 0 10px}
.rp.i-minor{border-left-color:var(--dg)}.rp.i-major{border-left-color:var(--mi)}.rp.i-critical{border-left-color:var(--dn)}.rp.k-mt{border-left-color:var(--mt)}
.rp>h3{margin:0 0 2px}
.rp>p{margin:2px 0}
.md{overflow-wrap:anywhere}.md p{margin:.3em 0}
.md pre{overflow-x:auto;background:var(--bg);padding:8px}
ol.tl{list-style:none;margin:0;padding:0}
ol.tl>li{border-left:3px solid var(--ln);padding:0 0 14px 14px}
ol.tl>li>h3{margin:0}
dl.up{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}
dl.up dt{color:var(--mu);font-size:.9em}dl.up dd{margin:0;font-weight:600;font-size:1.1rem}
.sc{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:.95em}
caption{text-align:left;color:var(--mu);padding:4px 0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--ln);vertical-align:top}
svg.rt{display:block;width:100%;height:180px;background:var(--card);border:1px solid var(--ln);border-radius:6px}
.rt .band{fill:var(--a);fill-opacity:.2}.rt .avg{fill:none;stroke:var(--a);stroke-width:1.5;vector-effect:non-scaling-stroke}.rt .fl{fill:var(--dn)}
details{margin:8px 0}summary{cursor:pointer;color:var(--a)}
.pg{display:flex;justify-content:space-between;gap:12px;margin:16px 0}
footer{color:var(--mu);font-size:.9em;padding:28px 16px 36px}
footer ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 8px;padding:0}
@media (max-width:480px){body{font-size:15px}h1{font-size:1.35rem}}
)css";

/// The built-in stylesheet: both palettes (dark through prefers-color-scheme) and the layout.
inline const std::string& status_page_css() {
  static const std::string css = ":root{color-scheme:light dark;" +
                                 palette_properties(kLightPalette) +
                                 "}\n@media (prefers-color-scheme:dark){:root{" +
                                 palette_properties(kDarkPalette) + "}}" + std::string(kLayoutCss);
  return css;
}

}  // namespace lk::web
