"""`--format junit`: JUnit XML for the test-report views of Jenkins and GitLab (artifacts: reports: junit).

One <testsuite> per file, one failing <testcase> per finding; a file without findings gets a
single passing testcase named "govlint" so that it shows as passed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.findings import Finding
from govlint.render.common import portable_path

CLEAN_CASE = "govlint"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, not even escaped (NUL, most C0 controls, surrogates, U+FFFE/F)."""


def xml_text(text: str) -> str:
    """The text with each character XML cannot hold written as a visible escape (`\\x0b`);
    markup characters are left to ElementTree, which escapes them."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def case_name(finding: Finding) -> str:
    """`T001 第64行`, or just the code for a finding about the whole file."""
    return f"{finding.code} 第{finding.line}行" if finding.line is not None else finding.code


def _details(path: str, finding: Finding) -> str:
    """The failure's body: where, which rule, what (the message attribute has the message alone)."""
    where = path if finding.line is None else f"{path}:{finding.line}:{finding.column or 1}"
    return f"{where}: {finding.code} {finding.name} [{finding.severity.chinese}]\n{finding.message}"


def testsuite(result: FileResult) -> ET.Element:
    path = xml_text(portable_path(result.path))
    failures = len(result.findings)
    suite = ET.Element("testsuite", name=path, tests=str(max(failures, 1)), failures=str(failures), errors="0")
    if not result.findings:
        ET.SubElement(suite, "testcase", classname=path, name=CLEAN_CASE)
    for finding in result.findings:
        case = ET.SubElement(suite, "testcase", classname=path, name=xml_text(case_name(finding)))
        failure = ET.SubElement(case, "failure", message=xml_text(finding.message), type=finding.severity.value)
        failure.text = xml_text(_details(path, finding))
    return suite


def testsuites(results: Sequence[FileResult]) -> ET.Element:
    suites = [testsuite(r) for r in results]
    root = ET.Element("testsuites", name="govlint", tests=str(sum(int(s.get("tests", "0")) for s in suites)),
                      failures=str(sum(int(s.get("failures", "0")) for s in suites)), errors="0")
    root.extend(suites)
    return root


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    root = testsuites(results)
    ET.indent(ET.ElementTree(root))
    text: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return text.decode("utf-8") + "\n"
