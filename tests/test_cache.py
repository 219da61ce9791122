"""The cache of compiled glossaries: used when the files are unchanged, never when they changed."""

from __future__ import annotations

from ptce_gloss.match import cache


def test_second_load_comes_from_the_cache_and_an_edit_invalidates_it(tmp_path, monkeypatch, write_yaml):
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(tmp_path / "cache"))
    path = write_yaml("entries:\n  - id: a\n    term: alpha\n    definition: Un.\n")
    first_glossary, first = cache.load_compiled([path], include_default=False)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    again_glossary, again = cache.load_compiled([path], include_default=False)
    assert again_glossary == first_glossary and again.folded == first.folded
    assert again is not first  # read back from disk
    write_yaml("entries:\n  - id: a\n    term: beta\n    definition: Deux.\n")
    changed_glossary, changed = cache.load_compiled([path], include_default=False)
    assert changed_glossary["a"].term == "beta" and "beta" in changed.folded
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path, monkeypatch, write_yaml):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(folder))
    path = write_yaml("entries:\n  - id: a\n    term: alpha\n    definition: Un.\n")
    cache.load_compiled([path], include_default=False)
    [stored] = folder.iterdir()
    stored.write_bytes(b"not JSON")
    glossary, _ = cache.load_compiled([path], include_default=False)
    assert glossary["a"].term == "alpha"
    monkeypatch.setenv("GLOSS_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file where the folder should be")
    glossary, _ = cache.load_compiled([path], include_default=False)
    assert glossary["a"].term == "alpha"
