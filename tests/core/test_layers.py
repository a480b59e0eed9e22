"""The layers of DESIGN.md hold (import-linter, as `make lint` runs it), and the contract
really refuses an import that goes up."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["tppo", "demo", "reports", "cases", "victims", "audit", "agencies", "core"]

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_layers():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("core/upward.py", "from agencies import scoping\n"),
        ("victims/upward.py", "import cases.services\n"),
        ("agencies/upward.py", "from audit.models import IdentityAccess\n"),
    ],
)
def test_an_import_that_goes_up_breaks_the_contract(tmp_path, module, line):
    tree = copy_of_the_tree(tmp_path)
    (tree / module).write_text(line)
    result = lint(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
