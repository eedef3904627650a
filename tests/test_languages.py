"""The plan pages speak the site's language: French, German and Spanish are shipped whole, chosen by
the theme's `language`, and the site's own `labels` still replace any word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from mkdocs_northstar.pages.labels import LABELS, LANGUAGES, labels_for, language_code, shipped

from tests.site_helpers import article, mkdocs, northstar

PLACEHOLDER = re.compile(r"%[sd%]")
TEXT_KEYS = {"title", "statement", "description", "purpose", "why", "measure", "name", "mission", "theme", "metric"}
TEXT_KEYS |= {"short", "note", "learned", "said", "decision", "context", "unit", "email"}


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_shipped_language_has_every_label_with_its_placeholders(code: str) -> None:
    text = Path(__file__).parent.parent / "plugins" / "mkdocs_northstar" / "pages" / "languages" / f"{code}.yml"
    words = yaml.safe_load(text.read_text(encoding="utf-8"))
    assert set(words) == set(LABELS)  # no word left to English, none the pages do not use
    for key, english in LABELS.items():
        assert PLACEHOLDER.findall(str(words[key])) == PLACEHOLDER.findall(english), key
        assert str(words[key]).strip(), key
    assert shipped(code) == {k: str(v) for k, v in words.items()}


def test_a_language_is_read_as_themes_write_it() -> None:
    assert [language_code(c) for c in ("fr", "fr-CA", "fr_FR", "DE", "es-MX", "pt-BR", None, "")] == [
        "fr",
        "fr",
        "fr",
        "de",
        "es",
        "en",
        "en",
        "en",
    ]
    assert labels_for("de", {"strategy": "Unser Kurs"})["strategy"] == "Unser Kurs"
    assert labels_for("de")["teams"] == "Teams" and labels_for("de")["rocks"] == "Quartalsprioritäten"


def _in_french(value: object, count: list[int]) -> object:
    """A plan file's data with every text the author writes replaced by French, ids kept."""
    if isinstance(value, dict):
        return {
            k: _french_text(count) if k in TEXT_KEYS and isinstance(v, str) else _in_french(v, count)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_in_french(v, count) for v in value]
    return value


def _french_text(count: list[int]) -> str:
    count[0] += 1
    return f"Texte du plan numéro {count[0]}, pour les 20 villes du Québec"  # a number and a place: not generic


def test_a_french_site_carries_no_english_word_of_its_own(tmp_path: Path) -> None:
    """A plan written in French, on a site whose theme speaks French: no plan page shows one of
    Northstar's English words, the bands included; the site's own label still wins."""
    assert northstar("init", "site", "--as-of", "2026-11-24", "--ci", "none", cwd=tmp_path).returncode == 0
    project = tmp_path / "site"
    count = [0]
    for path in sorted((project / "plan").rglob("*.yml")):
        data = _in_french(yaml.safe_load(path.read_text(encoding="utf-8")), count)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["language"] = "fr"
    config["plugins"] = ["search", {"northstar": {"labels": {"people": "Qui porte quoi"}}}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Notre plan\n", encoding="utf-8")
    done = mkdocs("build", "--strict", cwd=project, env={"NORTHSTAR_AS_OF": "2026-11-24"})
    assert done.returncode == 0, done.stderr

    french = shipped("fr")
    english = {k: v for k, v in LABELS.items() if v != french[k] and k != "people"}
    fragments = {k: max(PLACEHOLDER.split(v), key=len).strip(" :,.()") for k, v in english.items()}
    site = project / "site"
    pages = [p for p in site.rglob("index.html") if p.parent != site and "search" not in p.parts]
    assert len(pages) >= 8
    seen: dict[str, list[str]] = {}
    for page in pages:
        text = article(site, page.parent.relative_to(site).as_posix() + "/").get_text(" ", strip=True)
        for key, fragment in fragments.items():
            if len(fragment) >= 3 and re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text):
                seen.setdefault(page.parent.relative_to(site).as_posix(), []).append(f"{key}: {fragment}")
    assert seen == {}
    assert article(site, "people/").h1.get_text(strip=True).startswith("Qui porte quoi")
    team = article(site, "teams/leadership/").get_text(" ", strip=True)
    assert "Résultat clé" in team and "sans version" in team
    assert any(band in team for band in ("En bonne voie", "À risque", "En retard"))
