#!/usr/bin/env python3
"""Fails when the generated part of a doc differs from what the binary prints now.

Usage: check_generated.py DOC [--write] -- COMMAND...
The part between <!-- BEGIN GENERATED --> and <!-- END GENERATED --> must equal COMMAND's output.
Regenerate with: scripts/gen-docs.sh
"""
import subprocess
import sys

BEGIN = "<!-- BEGIN GENERATED -->\n"
END = "<!-- END GENERATED -->\n"


def main() -> int:
    doc = sys.argv[1]
    command = sys.argv[sys.argv.index("--") + 1:]
    text = open(doc, encoding="utf-8").read()
    if BEGIN not in text or END not in text:
        print(f"{doc}: markers {BEGIN.strip()} / {END.strip()} missing")
        return 1
    current = text.split(BEGIN, 1)[1].split(END, 1)[0]
    fresh = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "--write" in sys.argv[:sys.argv.index("--")]:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        open(doc, "w", encoding="utf-8").write(head + BEGIN + fresh + END + tail)
        print(f"{doc}: regenerated")
        return 0
    if current != fresh:
        print(f"{doc}: the generated reference is out of date; run scripts/gen-docs.sh")
        import difflib
        sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True),
                                                   "in the doc", "from the binary"))
        return 1
    print(f"{doc}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
