#!/usr/bin/env python3
"""Fails when docs/openapi.yaml, docs/api.md and the /api/v1 routes in src/web/ disagree.

Usage: check_api_docs.py [ROOT]      (ROOT: the repository; default: two levels above here)

1. docs/openapi.yaml is OpenAPI 3.1 with paths, operations and responses, and every $ref in
   it resolves.
2. The /api/v1 routes the C++ serves are read from src/web/ in three ways, because the code
   writes them in three ways:
   - string literals that start with /api/v1 (the constants and comparisons of alert_api.cpp
     and report_api.cpp); a literal ending in "/" is a prefix, so a parameter follows it;
   - the segment matchers of router.cpp (`s[2] == "incidents" && s.size() == 3`), read
     statement by statement, with the `!=` guards that return early;
   - "METHOD /api/v1/..." in the headers' comments. These are the only place that joins a
     constant with its suffix (kChecks + "/pause"), so each suffix literal in code ("/pause",
     "/updates") must end at least one route found this way.
   Every route must be a path of openapi.yaml, and every path of openapi.yaml must be such a
   route. Parameters compare by position only: {name} and {id} are both "{}".
3. Every path of openapi.yaml, and every "METHOD path" of its operations, appears in
   docs/api.md.
Only the standard library and PyYAML (python3-yaml).
"""
import os
import re
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# ---- C++ source: string literals and comments, told apart ------------------------------------

def scan_cpp(text):
    """Returns (literals, comments): lists of (line, text). Handles "..." with escapes, '...',
    raw strings R"d(...)d" (with any encoding prefix), // and /* */ comments."""
    literals, comments = [], []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            comments.append((line, text[i + 2:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end
            comments.append((line, text[i + 2:end]))
            line += text.count("\n", i, end)
            i = end + 2
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and not (text[i - 1:i].isalnum() and
                                                                 text[i - 1:i] not in "uU8L"):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            close = text.find(")" + delim + '"', open_paren)
            close = n if close < 0 else close
            literals.append((line, text[open_paren + 1:close]))
            line += text.count("\n", i, close)
            i = close + len(delim) + 2
        elif c == "'" and re.search(r"(?:^|[^\w.])\d[\w.]*$", text[max(0, i - 64):i]):
            i += 1  # a digit separator (200'000), not a character literal
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if c == '"':
                literals.append((line, text[i + 1:j]))
            i = j + 1
        else:
            i += 1
    return literals, comments


def normalise(path):
    """/api/v1/checks/{name}/results?x= -> /api/v1/checks/{}/results"""
    path = path.split("?", 1)[0]
    if path.endswith("/"):
        path += "{}"  # a prefix: the parameter follows
    segments = ["{}" if re.fullmatch(r"\{[^}]*\}|\d+", s) else s for s in path.split("/")]
    return "/".join(segments)


class Routes:
    def __init__(self):
        self.where = {}  # normalised route -> ["file:line (how)", ...]

    def add(self, route, where):
        self.where.setdefault(normalise(route), []).append(where)


def literal_routes(rel, literals, routes):
    for line, text in literals:
        if re.fullmatch(r"/api/v1/[^\s\"]*", text):
            routes.add(text, f"{rel}:{line} (literal)")


ROUTE_IN_PROSE = re.compile(
    r"\b(GET|HEAD|POST|PUT|PATCH|DELETE)\s+(/api/v1/[\w{}%./-]*[\w}])")


def comment_routes(rel, comments, routes, documented):
    for line, text in comments:
        for method, path in ROUTE_IN_PROSE.findall(text):
            routes.add(path, f"{rel}:{line} (comment)")
            documented.append((method.lower(), normalise(path), f"{rel}:{line}"))


SEGMENT_TEST = re.compile(r"s\[(\d+)\]\s*(==|!=)\s*\"([^\"]*)\"")
SIZE_TEST = re.compile(r"s\.size\(\)\s*==\s*(\d+)")


def segment_routes(rel, text, routes):
    """Reads router.cpp-style matchers. Inside a function that splits the path into `s`, each
    `if (...) return {};` whose tests are all `s[i] != "x"` fixes those segments for the lines
    after it; each `if (...) return {Endpoint::...}` with `s[i] == "x"` and `s.size() == n`
    is a route of n segments (segments without a literal are parameters)."""
    found = 0
    code = "\n".join(
        line.split("//", 1)[0] for line in text.splitlines())  # comments would confuse it
    for body in re.findall(r"\bMatch\s+\w+\([^)]*\)\s*\{(.*?)\n\}", code, re.S):
        fixed = {}
        for statement in re.findall(r"if\s*\((.*?)\)\s*return\s*(\{[^;]*\});", body, re.S):
            condition, result = statement
            tests = SEGMENT_TEST.findall(condition)
            if result.replace(" ", "") == "{}":
                # A guard: what it refuses is excluded for the statements after it.
                if "&&" not in condition:
                    for index, op, literal in tests:
                        if op == "!=":
                            fixed[int(index)] = literal
                continue
            sizes = SIZE_TEST.findall(condition)
            if len(sizes) != 1:
                continue
            segments = dict(fixed)
            for index, op, literal in tests:
                if op == "==":
                    segments[int(index)] = literal
            parts = [segments.get(k, "{}") for k in range(int(sizes[0]))]
            if parts[:2] == ["api", "v1"]:
                line = text[:text.find(condition)].count("\n") + 1
                routes.add("/" + "/".join(parts), f"{rel}:{line} (segments)")
                found += 1
    return found


# ---- OpenAPI ----------------------------------------------------------------------------------

def resolve_pointer(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def walk_refs(node, where=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from walk_refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_refs(value, f"{where}/{i}")


def check_openapi(doc, problems):
    if not isinstance(doc, dict):
        problems.append("openapi.yaml: not a mapping")
        return {}
    version = str(doc.get("openapi", ""))
    if not re.fullmatch(r"3\.1\.\d+", version):
        problems.append(f"openapi.yaml: openapi is {version!r}, expected 3.1.x")
    info = doc.get("info") or {}
    for key in ("title", "version"):
        if not info.get(key):
            problems.append(f"openapi.yaml: info.{key} is missing")
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    if not any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes.values()):
        problems.append("openapi.yaml: no http bearer scheme in components.securitySchemes")
    for where, ref in walk_refs(doc):
        if not ref.startswith("#/"):
            problems.append(f"openapi.yaml: {where}: $ref {ref} is not local")
        elif resolve_pointer(doc, ref) is None:
            problems.append(f"openapi.yaml: {where}: $ref {ref} does not resolve")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        problems.append("openapi.yaml: paths is empty")
        return {}

    def deref(node):
        while isinstance(node, dict) and "$ref" in node:
            node = resolve_pointer(doc, node["$ref"]) or {}
        return node

    operation_ids = {}
    for path, item in paths.items():
        if not path.startswith("/api/v1/"):
            problems.append(f"openapi.yaml: path {path} is not under /api/v1/")
        operations = {m: op for m, op in (item or {}).items() if m in METHODS}
        if not operations:
            problems.append(f"openapi.yaml: {path} has no operation")
        wanted = set(re.findall(r"\{([^}]+)\}", path))
        for method, op in operations.items():
            if not op.get("responses"):
                problems.append(f"openapi.yaml: {method.upper()} {path} has no responses")
            declared = {deref(p).get("name") for p in (item.get("parameters") or []) +
                        (op.get("parameters") or []) if deref(p).get("in") == "path"}
            if wanted - declared:
                problems.append(f"openapi.yaml: {method.upper()} {path} does not declare path "
                                f"parameter(s) {sorted(wanted - declared)}")
            op_id = op.get("operationId")
            if op_id in operation_ids:
                problems.append(f"openapi.yaml: operationId {op_id} is used twice")
            operation_ids[op_id] = path
    return paths


# ---- main ---------------------------------------------------------------------------------------

def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    problems = []
    openapi_file = os.path.join(root, "docs", "openapi.yaml")
    guide_file = os.path.join(root, "docs", "api.md")
    with open(openapi_file, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    paths = check_openapi(doc, problems)

    routes, documented, suffixes = Routes(), [], []
    web = os.path.join(root, "src", "web")
    segment_count = 0
    for name in sorted(os.listdir(web)):
        if not name.endswith((".cpp", ".hpp")):
            continue
        rel = f"src/web/{name}"
        with open(os.path.join(web, name), encoding="utf-8") as f:
            text = f.read()
        literals, comments = scan_cpp(text)
        literal_routes(rel, literals, routes)
        comment_routes(rel, comments, routes, documented)
        segment_count += segment_routes(rel, text, routes)
        if any(t.startswith("/api/v1/") for _, t in literals):
            suffixes += [(t, f"{rel}:{line}") for line, t in literals
                         if re.fullmatch(r"/[a-z][a-z0-9-]*", t)]
    if segment_count == 0:
        problems.append("src/web/router.cpp: no route read from its segment matchers; the code "
                        "changed shape, so update segment_routes() in this script")
    if not routes.where:
        problems.append("src/web: no /api/v1 route found at all")

    ends = {r.rsplit("/", 1)[-1] for r in routes.where}
    for suffix, where in suffixes:
        if suffix[1:] not in ends:
            problems.append(f"{where}: the code matches \"{suffix}\" but no route found ends "
                            f"with it; write its route in the header comment as METHOD /api/v1/...")

    spec = {normalise(p): p for p in paths}
    for route in sorted(routes.where):
        if route not in spec:
            problems.append(f"openapi.yaml: no path for {route}, which the code serves "
                            f"({'; '.join(routes.where[route])})")
    for route, path in sorted(spec.items()):
        if route not in routes.where:
            problems.append(f"openapi.yaml: {path} is not a route of src/web/")
    for method, route, where in documented:
        if route in spec and method not in (paths[spec[route]] or {}):
            problems.append(f"openapi.yaml: {spec[route]} has no {method.upper()}, which "
                            f"{where} says is served")

    with open(guide_file, encoding="utf-8") as f:
        guide = f.read()
    for path, item in paths.items():
        if path not in guide:
            problems.append(f"docs/api.md: {path} is not mentioned")
            continue
        for method in item or {}:
            if method in METHODS and method != "head" and f"{method.upper()} {path}" not in guide:
                problems.append(f"docs/api.md: \"{method.upper()} {path}\" is not mentioned")

    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problem(s)")
        return 1
    operations = sum(1 for item in paths.values() for m in item if m in METHODS)
    print(f"docs/openapi.yaml: {len(paths)} paths, {operations} operations; "
          f"src/web/ serves the same {len(routes.where)} routes; docs/api.md names them all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
