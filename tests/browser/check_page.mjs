#!/usr/bin/env node
// Drives Debian's headless Chromium (/usr/bin/chromium, through playwright-core; no browser is
// ever downloaded) against a running Lightkeeper status page and checks what a reader sees.
//
//   node check_page.mjs --base http://127.0.0.1:PORT --out DIR [--scenarios FILE]
//
// The scenarios are JSON, from FILE or standard input:
//
//   {"scenarios": [{"name": "healthy-desktop-light", "path": "/status/acme/",
//                   "javaScript": true, "colorScheme": "light", "viewport": "desktop",
//                   "steps": [{"check": "text", "selector": "#banner", "contains": "All systems"},
//                             {"screenshot": "healthy-desktop-light"}]}]}
//
// Each scenario is a fresh browser context (its own JavaScript switch, colour scheme and
// viewport: "desktop" is 1280 wide, "phone" 390) on one page; its steps run in order and every
// step is recorded, passed or failed, so one run reports every defect at once. Step kinds
// ("check": KIND, unless said otherwise) are listed in CHECKS below.
//
// Prints one JSON document: {"ok", "scenarios": [{"name", "url", "ok", "checks": [{"check",
// "ok", "details"}], "console": [...]}], "screenshots": [...], "axe": [...]}. Exit code: 0 when
// every check passed, 1 when one failed, 2 when the run itself could not happen.

import { readFileSync, mkdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.LK_CHROMIUM || "/usr/bin/chromium";
// The whole run stops by itself after this, browser included, whatever the scenarios ask.
const RUN_DEADLINE_MS = Number(process.env.LK_BROWSER_DEADLINE_MS || 240000);
const STEP_TIMEOUT_MS = 20000;
const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { scenarios: "-" };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if (key === "--base") args.base = value;
    else if (key === "--out") args.out = value;
    else if (key === "--scenarios") args.scenarios = value;
    else throw new Error(`unknown argument ${key}`);
    i++;
  }
  if (!args.base || !args.out) throw new Error("usage: check_page.mjs --base URL --out DIR [--scenarios FILE|-]");
  return args;
}

function readScenarios(source) {
  const text = readFileSync(source === "-" ? 0 : source, "utf8");
  const doc = JSON.parse(text);
  if (!Array.isArray(doc.scenarios)) throw new Error("expected {\"scenarios\": [...]}");
  return doc.scenarios;
}

// ---------------------------------------------------------------------------------------------
// In-page helpers (serialised into the page by page.evaluate)
// ---------------------------------------------------------------------------------------------

// WCAG 2 contrast of an element's text colour on its effective background: the first ancestor
// with an opaque background, else the canvas of the colour scheme.
function contrastInPage(selector) {
  const el = document.querySelector(selector);
  if (!el) return { error: `no element matches ${selector}` };
  const parse = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const lum = (c) => {
    const ch = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const fg = parse(getComputedStyle(el).color);
  let bg = null;
  let from = null;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c && c.a >= 0.99) {
      bg = c;
      from = node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") +
        (node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\s+/).join(".") : "");
      break;
    }
  }
  if (!bg) {
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    bg = dark ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
    from = "canvas";
  }
  const lf = lum(fg);
  const lb = lum(bg);
  const ratio = (Math.max(lf, lb) + 0.05) / (Math.min(lf, lb) + 0.05);
  return {
    color: getComputedStyle(el).color,
    background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`,
    backgroundFrom: from,
    textLuminance: Number(lf.toFixed(3)),
    backgroundLuminance: Number(lb.toFixed(3)),
    ratio: Number(ratio.toFixed(2)),
  };
}

// Each component as listed: its group (the <h3> before its list), name, state word, uptime
// figure and its bar's text alternative.
function componentsInPage() {
  const out = [];
  for (const list of document.querySelectorAll("ul.cs")) {
    let heading = list.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    const group = heading && heading.tagName === "H3" ? heading.textContent.trim() : null;
    for (const li of list.children) {
      const link = li.querySelector("a");
      const state = li.querySelector(".st");
      const figures = [...li.querySelectorAll(".mu")].map((e) => e.textContent.trim());
      const svg = li.querySelector("svg");
      let alt = null;
      let viewBox = null;
      let role = null;
      if (svg) {
        const title = svg.querySelector(":scope > title");
        alt = svg.getAttribute("aria-label") || (title ? title.textContent.trim() : null);
        viewBox = svg.getAttribute("viewBox");
        role = svg.getAttribute("role");
      }
      const box = svg ? svg.getBoundingClientRect() : null;
      out.push({
        group,
        name: link ? link.textContent.trim() : li.textContent.trim().slice(0, 60),
        href: link ? link.getAttribute("href") : null,
        state: state ? state.textContent.trim() : null,
        uptime: figures.find((t) => /in 90 days/.test(t)) || null,
        bar: svg ? { alt, role, viewBox, width: Math.round(box.width), height: Math.round(box.height),
                     shapes: svg.querySelectorAll("rect,use,path").length } : null,
      });
    }
  }
  return out;
}

function focusInfoInPage() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: "body" };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  // The outline is drawn around the element, over its parent's background: WCAG 2.4.7 wants it
  // visible, 1.4.11 at 3:1 against what it is drawn on.
  const rgb = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { c: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let under = null;
  for (let node = el.parentElement; node && !under; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c && c.a >= 0.99) under = c.c;
  }
  under = under || (matchMedia("(prefers-color-scheme: dark)").matches ? [18, 18, 18] : [255, 255, 255]);
  const ring = rgb(style.outlineColor);
  const [hi, lo] = ring ? [lum(ring.c), lum(under)].sort((a, b) => b - a) : [0, 0];
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || null,
    className: typeof el.className === "string" ? el.className : null,
    text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 80),
    href: el.getAttribute("href"),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    outlineContrast: ring ? Number(((hi + 0.05) / (lo + 0.05)).toFixed(2)) : null,
    drawnOn: `rgb(${under.join(", ")})`,
    // Drawn, and not pushed out sideways (as a skip link is until it has the focus).
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns {ok, details}
// ---------------------------------------------------------------------------------------------

const norm = (s) => (s || "").replace(/\s+/g, " ").trim();

async function textOf(page, selector) {
  const handles = await page.$$(selector);
  if (handles.length === 0) return null;
  const texts = [];
  for (const h of handles) texts.push(norm(await h.evaluate((e) => e.textContent)));
  return texts.join(" | ");
}

function matchText(text, step) {
  const problems = [];
  for (const want of [].concat(step.contains || [])) if (!text.includes(want)) problems.push(`missing ${JSON.stringify(want)}`);
  for (const bad of [].concat(step.notContains || [])) if (text.includes(bad)) problems.push(`unexpected ${JSON.stringify(bad)}`);
  for (const pattern of [].concat(step.matches || [])) if (!new RegExp(pattern).test(text)) problems.push(`no match for /${pattern}/`);
  return problems;
}

const CHECKS = {
  // {selector, contains?, notContains?, matches?}: the text of every element matched, joined.
  async text(page, step) {
    const text = await textOf(page, step.selector);
    if (text === null) return { ok: false, details: `no element matches ${step.selector}` };
    const problems = matchText(text, step);
    return { ok: problems.length === 0, details: problems.length ? `${problems.join("; ")} in: ${text.slice(0, 1500)}` : text.slice(0, 300) };
  },

  // {selector, min?, max?}: how many elements match.
  async count(page, step) {
    const n = (await page.$$(step.selector)).length;
    const ok = n >= (step.min ?? 1) && (step.max === undefined || n <= step.max);
    return { ok, details: `${n} elements match ${step.selector} (expected ${step.min ?? 1}..${step.max ?? "any"})` };
  },

  // {selector, property, equals}: a computed style.
  async style(page, step) {
    const value = await page.$eval(step.selector, (e, p) => getComputedStyle(e).getPropertyValue(p), step.property).catch((e) => `error: ${e.message}`);
    return { ok: value === step.equals, details: `${step.selector} ${step.property} is ${value} (expected ${step.equals})` };
  },

  // {selector}: an <img> that loaded and has an alt attribute.
  async image(page, step) {
    const info = await page.$eval(step.selector, (img) => ({
      src: img.getAttribute("src"), complete: img.complete, naturalWidth: img.naturalWidth,
      hasAlt: img.hasAttribute("alt"), alt: img.getAttribute("alt"),
    })).catch((e) => ({ error: e.message }));
    const ok = !info.error && info.complete && info.naturalWidth > 0 && info.hasAlt;
    return { ok, details: info };
  },

  // {expect: [{group, name, state}]}: the components, in order, under their group headings.
  async components(page, step) {
    const actual = await page.evaluate(componentsInPage);
    const summary = actual.map((c) => ({ group: c.group, name: c.name, state: c.state }));
    const ok = JSON.stringify(summary) === JSON.stringify(step.expect);
    return { ok, details: { expected: step.expect, actual: summary } };
  },

  // {count, days, uptime}: every component has its bar, an SVG with a text alternative saying
  // how many days it covers, drawn with a size, and an uptime figure matching /uptime/.
  async bars(page, step) {
    const actual = await page.evaluate(componentsInPage);
    const problems = [];
    if (step.count !== undefined && actual.length !== step.count) problems.push(`${actual.length} components, expected ${step.count}`);
    const daysWidth = step.days ? step.days * 4 - 1 : null;  // 3 units a day, 1 between days
    for (const c of actual) {
      if (!c.bar) { problems.push(`${c.name}: no <svg> bar`); continue; }
      if (!c.bar.alt) problems.push(`${c.name}: the bar has neither aria-label nor <title>`);
      else if (step.days && !c.bar.alt.startsWith(`${step.days}-day`)) problems.push(`${c.name}: bar text ${JSON.stringify(c.bar.alt)} does not start with "${step.days}-day"`);
      if (c.bar.alt && c.bar.role !== "img") problems.push(`${c.name}: the bar's role is ${c.bar.role}, not img (its label would not be read)`);
      if (daysWidth && c.bar.viewBox !== `0 0 ${daysWidth} 24`) problems.push(`${c.name}: viewBox ${c.bar.viewBox}, expected 0 0 ${daysWidth} 24`);
      if (c.bar.width < 100 || c.bar.height < 8) problems.push(`${c.name}: bar drawn ${c.bar.width}x${c.bar.height}px`);
      if (c.bar.shapes < 1) problems.push(`${c.name}: the bar draws no day`);
      if (!c.uptime || (step.uptime && !new RegExp(step.uptime).test(c.uptime))) problems.push(`${c.name}: uptime figure ${JSON.stringify(c.uptime)} does not match /${step.uptime}/`);
    }
    return { ok: problems.length === 0, details: { problems, components: actual.map((c) => ({ name: c.name, uptime: c.uptime, bar: c.bar })) } };
  },

  // {pairs: [{selector, min, polarity}], dark?: bool}: text contrast on the effective
  // background; with dark true (or false) the text is light on dark (or the reverse).
  async contrast(page, step) {
    const results = [];
    let ok = true;
    for (const pair of step.pairs) {
      const r = await page.evaluate(contrastInPage, pair.selector);
      const problems = [];
      if (r.error) problems.push(r.error);
      else {
        if (r.ratio < pair.min) problems.push(`contrast ${r.ratio} < ${pair.min}`);
        // "strict": the page's own colours, dark and light (body text); "relative": lighter (or
        // darker) than its background (links, which are coloured); false: either way (the banner).
        const lighter = r.textLuminance > r.backgroundLuminance;
        const polarity = pair.polarity ?? "relative";
        if (step.dark === true && polarity === "strict" && !(r.backgroundLuminance < 0.1 && r.textLuminance > 0.4)) problems.push("not light text on a dark background");
        if (step.dark === false && polarity === "strict" && !(r.backgroundLuminance > 0.4 && r.textLuminance < 0.1)) problems.push("not dark text on a light background");
        if (step.dark === true && polarity === "relative" && !lighter) problems.push("text darker than its dark background");
        if (step.dark === false && polarity === "relative" && lighter) problems.push("text lighter than its light background");
      }
      if (problems.length) ok = false;
      results.push({ selector: pair.selector, ...r, problems });
    }
    return { ok, details: results };
  },

  // {failOn: ["serious", "critical"], tags?}: axe-core's audit of the page as it is.
  async axe(page, step, ctx) {
    const source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    // Evaluated through the DevTools protocol, which the page's Content-Security-Policy (no
    // inline scripts) does not restrict, so the audit sees the page exactly as served.
    await page.evaluate(source);
    const result = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
      }));
    }, step.tags || AXE_TAGS);
    const failOn = step.failOn || ["serious", "critical"];
    const failing = result.filter((v) => failOn.includes(v.impact));
    ctx.axe.push({ scenario: ctx.scenario.name, url: page.url(), violations: result });
    return { ok: failing.length === 0, details: { failing: failing.map((v) => v.id), violations: result } };
  },

  // {expect: [texts], minOutlineContrast?}: Tab from the top of the page reaches these, in
  // order; each focused element shows an outline (or a box shadow; an outline at least
  // minOutlineContrast against what it is drawn on) and is on screen. {skipTargets: "main"}: Enter on
  // the first one (the skip link) moves the focus to that element's id.
  async keyboard(page, step) {
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
    await page.mouse.click(1, 1).catch(() => {});
    const seen = [];
    const problems = [];
    for (let i = 0; i < step.expect.length; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(focusInfoInPage);
      seen.push(f);
      const want = step.expect[i];
      if (f.text !== want) problems.push(`Tab ${i + 1} focused ${f.tag} ${JSON.stringify(f.text)}, expected ${JSON.stringify(want)}`);
      const outline = f.outlineStyle && f.outlineStyle !== "none" && parseFloat(f.outlineWidth) > 0;
      const shadow = f.boxShadow && f.boxShadow !== "none";
      if (!outline && !shadow) problems.push(`Tab ${i + 1} (${JSON.stringify(f.text)}): no visible focus (outline ${f.outlineStyle} ${f.outlineWidth})`);
      if (outline && step.minOutlineContrast && f.outlineContrast < step.minOutlineContrast) problems.push(`Tab ${i + 1} (${JSON.stringify(f.text)}): focus outline ${f.outlineColor} on ${f.drawnOn} has contrast ${f.outlineContrast} < ${step.minOutlineContrast}`);
      if (!f.onScreen) problems.push(`Tab ${i + 1} (${JSON.stringify(f.text)}): focused element is off screen`);
    }
    if (step.skipTargets) {
      await page.evaluate(() => { document.activeElement && document.activeElement.blur(); });
      await page.mouse.click(1, 1).catch(() => {});
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      const f = await page.evaluate(focusInfoInPage);
      if (f.id !== step.skipTargets) problems.push(`Enter on the skip link focused ${f.tag}#${f.id}, expected #${step.skipTargets}`);
      seen.push({ afterSkip: f });
    }
    return { ok: problems.length === 0, details: { problems, focused: seen } };
  },

  // {}: nothing scrolls sideways (the width of the viewport holds the whole page).
  async noHorizontalScroll(page) {
    const m = await page.evaluate(() => {
      const s = document.scrollingElement;
      const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > s.clientWidth + 1)
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === "string" ? "." + e.className : ""} right=${Math.round(e.getBoundingClientRect().right)}`);
      return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, innerWidth, wide };
    });
    return { ok: m.scrollWidth <= m.clientWidth + 1, details: m };
  },

  // {selector, contains..., timeoutMs}: waits (without reloading) until the text matches. With
  // noReload, the page must not have navigated meanwhile: the update came through the page's
  // own script (EventSource on /events, then a fetch of the page).
  async waitText(page, step, ctx) {
    const deadline = Date.now() + (step.timeoutMs || 15000);
    let text = null;
    let problems = ["never polled"];
    const started = Date.now();
    for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
      text = await textOf(page, step.selector);
      problems = text === null ? [`no element matches ${step.selector}`] : matchText(text, step);
      if (problems.length === 0) break;
      await page.waitForTimeout(100);  // the poll interval of a bounded loop, not a wait for a condition
    }
    const details = { afterMs: Date.now() - started, text: (text || "").slice(0, 600) };
    if (step.noReload) {
      details.marker = await page.evaluate(() => window.__lkMarker || null);
      details.navigations = ctx.navigations;
      details.eventsRequests = ctx.requests.filter((u) => u.endsWith("/events")).length;
      details.pageFetches = ctx.requests.filter((u) => u === page.url()).length;
      if (details.marker !== ctx.marker) problems.push("the page was reloaded (its in-memory marker is gone)");
      if (ctx.navigations !== 1) problems.push(`${ctx.navigations} navigations, expected only the first`);
      if (details.eventsRequests < 1) problems.push("the page never opened /events");
      // What the page did after the update was posted, and what the server sent it on /events
      // (as the DevTools protocol saw it), so a failure says which side is at fault.
      details.requestsAfterMark = ctx.requests.slice(ctx.requestsAtMark);
      details.serverSentEvents = ctx.sse.slice(-10);
      if (problems.length && !details.requestsAfterMark.includes(page.url())) problems.push("the page never fetched itself again after the update");
    }
    return { ok: problems.length === 0, details: problems.length ? { problems, ...details } : details };
  },

  // {}: no uncaught exception, console error (a script or style the CSP blocked) or failed
  // request so far. The browser's own guess at /favicon.ico is not the page's doing: the
  // page links no icon, and the 404 it gets is noise.
  async noConsoleErrors(page, step, ctx) {
    const failed = ctx.failedResponses.filter((r) => new URL(r.url).pathname !== "/favicon.ico");
    const errors = ctx.console.filter((m) => (m.type === "error" || m.type === "pageerror") &&
      !(m.text.startsWith("Failed to load resource") && failed.length === 0));
    return { ok: errors.length === 0 && failed.length === 0, details: { errors, failed } };
  },
};

// Steps that act rather than check.
async function act(page, step, ctx) {
  if (step.screenshot) {
    const file = path.join(ctx.out, `${step.screenshot}.png`);
    await page.screenshot({ path: file, fullPage: step.fullPage !== false });
    ctx.screenshots.push(file);
    return { ok: true, details: file };
  }
  if (step.mark) {
    // A value only this document holds: gone if the page reloads.
    ctx.marker = `m${Date.now()}${Math.random()}`;
    await page.evaluate((m) => { window.__lkMarker = m; }, ctx.marker);
    ctx.navigations = 1;
    ctx.requestsAtMark = ctx.requests.length;
    return { ok: true, details: ctx.marker };
  }
  if (step.request) {
    // An HTTP request from this process (loopback), e.g. posting an update while the page is open.
    const r = step.request;
    const res = await fetch(new URL(r.path, ctx.base), {
      method: r.method || "GET",
      headers: { "Content-Type": "application/json" },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      signal: AbortSignal.timeout(10000),
    });
    const body = await res.text();
    const want = r.status || 200;
    return { ok: res.status === want, details: { status: res.status, body: body.slice(0, 500) } };
  }
  if (step.goto) {
    await page.goto(new URL(step.goto, ctx.base).href, { waitUntil: "load", timeout: STEP_TIMEOUT_MS });
    ctx.navigations = 0;
    return { ok: true, details: page.url() };
  }
  throw new Error(`unknown step ${JSON.stringify(step)}`);
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

async function runScenario(browser, scenario, shared) {
  const viewport = typeof scenario.viewport === "object" ? { viewport: scenario.viewport } : VIEWPORTS[scenario.viewport || "desktop"];
  const context = await browser.newContext({
    ...viewport,
    javaScriptEnabled: scenario.javaScript !== false,
    colorScheme: scenario.colorScheme || "light",
    reducedMotion: "reduce",
    locale: "en-US",
  });
  const result = { name: scenario.name, url: null, ok: true, checks: [], console: [] };
  const ctx = { ...shared, scenario, console: result.console, requests: [], failedResponses: [],
    sse: [], navigations: 0, marker: null, requestsAtMark: 0 };
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("console", (m) => ctx.console.push({ type: m.type(), text: m.text().slice(0, 500) }));
    page.on("pageerror", (e) => ctx.console.push({ type: "pageerror", text: String(e).slice(0, 500) }));
    page.on("request", (r) => ctx.requests.push(r.url()));
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) ctx.navigations++; });
    page.on("response", (r) => { if (r.status() >= 400) ctx.failedResponses.push({ url: r.url(), status: r.status() }); });
    page.on("requestfailed", (r) => {
      // An event stream cut by the context's close is not a failure of the page.
      if (!r.url().endsWith("/events")) ctx.failedResponses.push({ url: r.url(), error: r.failure() && r.failure().errorText });
    });
    if (scenario.javaScript !== false) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      cdp.on("Network.eventSourceMessageReceived", (e) => ctx.sse.push({ event: e.eventName, data: String(e.data).slice(0, 100) }));
    }
    const url = new URL(scenario.path || "/", shared.base).href;
    const response = await page.goto(url, { waitUntil: "load", timeout: STEP_TIMEOUT_MS });
    result.url = page.url();
    const status = response ? response.status() : null;
    result.checks.push({ check: "load", ok: status === 200, details: { status, url } });
    for (const step of scenario.steps || []) {
      const label = step.check || Object.keys(step)[0];
      let outcome;
      try {
        if (step.check && !CHECKS[step.check]) throw new Error(`unknown check ${step.check}`);
        outcome = step.check ? await CHECKS[step.check](page, step, ctx) : await act(page, step, ctx);
      } catch (e) {
        outcome = { ok: false, details: `error: ${e && e.message ? e.message.split("\n")[0] : e}` };
      }
      result.checks.push({ check: label, ...(step.label ? { label: step.label } : {}), ...(step.selector ? { selector: step.selector } : {}), ...outcome });
    }
  } catch (e) {
    result.checks.push({ check: "scenario", ok: false, details: `error: ${e && e.message ? e.message.split("\n")[0] : e}` });
  } finally {
    await context.close().catch(() => {});
  }
  result.ok = result.checks.every((c) => c.ok);
  return result;
}

async function main() {
  let args, scenarios;
  try {
    args = parseArgs(process.argv.slice(2));
    scenarios = readScenarios(args.scenarios);
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e.message || e) }));
    return 2;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(JSON.stringify({ ok: false, error: `no browser at ${CHROMIUM}` }));
    return 2;
  }
  mkdirSync(args.out, { recursive: true });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60000,
    // This machine's network is closed: keep Chromium from calling home at all.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
  const killer = setTimeout(() => {
    console.log(JSON.stringify({ ok: false, error: `the browser run exceeded ${RUN_DEADLINE_MS} ms` }));
    browser.close().finally(() => process.exit(2));
  }, RUN_DEADLINE_MS);
  const version = browser.version();
  const shared = { base: args.base, out: args.out, screenshots: [], axe: [] };
  const results = [];
  try {
    for (const scenario of scenarios) results.push(await runScenario(browser, scenario, shared));
  } finally {
    clearTimeout(killer);
    await browser.close().catch(() => {});
  }
  const ok = results.every((r) => r.ok);
  console.log(JSON.stringify({ ok, browser: version, scenarios: results, screenshots: shared.screenshots, axe: shared.axe }, null, 1));
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack ? e.stack : e) }));
  process.exit(2);
});
