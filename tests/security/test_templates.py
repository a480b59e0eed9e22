"""The content security policy allows scripts and styles only from the system's own files
(script-src/style-src 'self'): no template may need an inline script, an inline event
handler, a `javascript:` address, a <style> element or a style attribute, since the
browser would refuse them."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Rendered to PDF on the server by WeasyPrint (reports/exports.py), never served to a
# browser, so the policy does not apply to it; its styles must travel inside the document.
NOT_SERVED = {"reports/summary_pdf.html"}

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def template_files() -> list[tuple[str, Path]]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [p for p in ROOT.glob("*/templates") if p.is_dir() and ".venv" not in p.parts]
    return sorted(
        (str(path.relative_to(root)), path)
        for root in roots
        for path in root.rglob("*")
        if path.suffix in {".html", ".txt", ".js"} and path.is_file()
    )


def test_there_are_templates_to_scan():
    names = [name for name, _path in template_files()]
    assert "base.html" in names and "drf_spectacular/swagger_ui.html" in names
    assert len(names) > 30


@pytest.mark.parametrize(
    ("name", "path"),
    [
        pytest.param(name, path, id=name)
        for name, path in template_files()
        if name not in NOT_SERVED
    ],
)
def test_no_template_needs_inline_code_or_style(name, path):
    source = path.read_text()
    for match in SCRIPT.finditer(source):
        assert "src=" in match.group(1), f"{name}: inline <script> (move it to static/js/)"
    assert not EVENT_HANDLER.search(source), f"{name}: inline event handler (on...=)"
    assert not JAVASCRIPT_URL.search(source), f"{name}: javascript: address"
    assert not STYLE_ELEMENT.search(source), f"{name}: <style> element (move it to static/css/)"
    assert not STYLE_ATTRIBUTE.search(source), f"{name}: style attribute (use a CSS class)"


@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("<script>alert(1)</script>", "script"),
        ('<button type="button" onclick="go()">x</button>', "handler"),
        ('<a href="javascript:go()">x</a>', "url"),
        ("<style>p { color: red }</style>", "style"),
        ('<span class="bar" style="width: 3mm"></span>', "attribute"),
    ],
)
def test_the_scan_finds_what_the_policy_refuses(source, finding):
    """The patterns above do find each kind (a scan that cannot fail proves nothing)."""
    found = {
        "script": any("src=" not in m.group(1) for m in SCRIPT.finditer(source)),
        "handler": bool(EVENT_HANDLER.search(source)),
        "url": bool(JAVASCRIPT_URL.search(source)),
        "style": bool(STYLE_ELEMENT.search(source)),
        "attribute": bool(STYLE_ATTRIBUTE.search(source)),
    }
    assert found[finding]
    assert not any(v for k, v in found.items() if k != finding), found


def test_the_policy_refuses_inline_code_and_style():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
