"""The layering of STYLE.md, enforced: the import-linter contracts in pyproject.toml hold."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_builtin_rules_ship_in_the_package() -> None:
    from importlib.metadata import entry_points

    (builtin,) = [e for e in entry_points(group="govlint.rules") if e.name == "builtin"]
    from importlib.resources import files

    assert len([f for f in files(builtin.value).iterdir() if f.name.endswith(".toml")]) >= 22


def test_rule_reference_in_docs_is_generated_from_the_rules() -> None:
    from govlint.engine.loader import load_rules
    from govlint.render.ruledocs import rule_reference

    pages = rule_reference(r.spec for r in load_rules())
    for name, text in pages.items():
        path = ROOT / "docs" / "rules" / name
        assert path.read_text(encoding="utf-8") == text, (
            f"docs/rules/{name} is stale: run govlint rules --docs docs/rules"
        )
