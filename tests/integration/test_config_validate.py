"""`lightkeeper config validate -c FILE`: the example passes; a file full of mistakes reports
every one of them at once, each as `file:line:col: checks[i].field: message`."""

import os
import re

import lktest

EXAMPLE = os.path.join(lktest.HERE, "..", "..", "examples", "lightkeeper.yaml")

# Six distinct mistakes; the comment after each line says which error must point where.
MISTAKES = """\
listen: 127.0.0.1:0
checks:
  - name: web
    type: http
    url: http://127.0.0.1:1/
    interval: 30 seconds
    intervl: 30s
  - name: nourl
    type: http
  - name: web
    type: tcp
    target: 127.0.0.1:1
  - name: cond
    type: http
    url: http://127.0.0.1:1/
    expect: [status = 200]
  - name: slowpoke
    type: tcp
    target: 127.0.0.1:1
    interval: 10s
    timeout: 30s
"""

# (line, column, path, a fragment of the message), in file order.
EXPECTED = [
    (6, 15, "checks[0].interval", "30 seconds"),           # bad duration, at its value
    (7, 5, "checks[0].intervl", "unknown field"),          # unknown key, at the key
    (8, 5, "checks[1].url", "missing required field"),     # at the start of the check
    (10, 11, "checks[2].name", "duplicate check name"),    # at the second "web"
    (16, 21, "checks[3].expect[0]", "status = 200"),       # at the offending '='
    (21, 14, "checks[4].timeout", "must not exceed the interval"),
]


class ConfigValidate(lktest.LkTestCase):
    def validate(self, path):
        return lktest.run_binary(["config", "validate", "-c", path], timeout=30)

    def test_the_example_config_is_valid(self):
        self.assertTrue(os.path.isfile(EXAMPLE), EXAMPLE)
        run = self.validate(EXAMPLE)
        self.assertEqual(run.returncode, 0, run.describe())
        with open(EXAMPLE, encoding="utf-8") as f:
            # Checks only: notifiers, people and schedules are lists of names too.
            checks = len(re.findall(r"(?m)^  - name:", f.read().split("\nchecks:", 1)[1]))
        self.assertGreater(checks, 0)
        self.assertIn("ok, %d check(s)" % checks, run.stdout, run.describe())
        self.assertEqual(run.stderr.strip(), "", run.describe())

    def test_every_mistake_is_reported_with_its_position(self):
        path = self.tmp.write("mistakes.yaml", MISTAKES)
        run = self.validate(path)
        self.assertNotEqual(run.returncode, 0, run.describe())

        line_re = re.compile(r"^%s:(\d+):(\d+): (checks\[\d+\]\.\w+(?:\[\d+\])?): (.+)$"
                             % re.escape(path))
        output = (run.stderr + run.stdout).splitlines()
        errors = [line for line in output if line.startswith(path + ":") and
                  not line.startswith(path + ": ")]
        found = []
        for line in errors:
            m = line_re.match(line)
            self.assertIsNotNone(m, "badly formed error line %r\n%s" % (line, run.describe()))
            found.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)))

        self.assertEqual([f[:3] for f in found], [e[:3] for e in EXPECTED], run.describe())
        for (line, col, field, message), (_, _, _, fragment) in zip(found, EXPECTED):
            self.assertIn(fragment, message, "%d:%d %s\n%s" % (line, col, field, run.describe()))
        self.assertIn("%s: %d error(s)" % (path, len(EXPECTED)), run.stderr, run.describe())
        self.assertNotIn(" ok, ", run.stdout, run.describe())

    def test_the_duplicate_name_error_points_at_the_first_one_too(self):
        path = self.tmp.write("mistakes.yaml", MISTAKES)
        run = self.validate(path)
        self.assertIn('duplicate check name "web"; the first is at %s:3:11' % path, run.stderr,
                      run.describe())

    def test_a_missing_file_is_an_error_naming_it(self):
        path = self.tmp.join("does-not-exist.yaml")
        run = self.validate(path)
        self.assertNotEqual(run.returncode, 0, run.describe())
        self.assertIn(path, run.stderr, run.describe())
        self.assertRegex(run.stderr, r"(?i)no such file", run.describe())


if __name__ == "__main__":
    lktest.main()
