"""kritarc: enabling the plugin changes one line; reverting restores the file byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stylebridge_installer import kritarc

PLUGIN = "stylebridge_krita"
KEY_LINE = "enable_stylebridge_krita=true"


def enable_then_revert(path: Path) -> bytes:
    change = kritarc.enable(path, PLUGIN)
    assert kritarc.is_enabled(path, PLUGIN)
    kritarc.revert(change)
    return path.read_bytes()


def test_key_is_added_to_the_existing_python_group_only(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    original = b"[General]\nfoo=bar\n\n[python]\nenable_scripter=true\n\n[MainWindow]\nState=AAAA\n"
    path.write_bytes(original)
    kritarc.enable(path, PLUGIN)
    expected = original.replace(b"enable_scripter=true\n", b"enable_scripter=true\n"
                                + KEY_LINE.encode() + b"\n")  # fmt: skip
    assert path.read_bytes() == expected
    path.write_bytes(original)
    assert enable_then_revert(path) == original


def test_missing_group_is_appended_and_removed_again(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    original = b"[General]\r\nfoo=bar\r\n"
    path.write_bytes(original)
    kritarc.enable(path, PLUGIN)
    assert path.read_bytes() == original + b"\r\n[python]\r\n" + KEY_LINE.encode() + b"\r\n"
    path.write_bytes(original)
    assert enable_then_revert(path) == original


def test_disabled_key_is_switched_on_and_restored_to_false(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    original = b"[python]\nenable_stylebridge_krita=false\nenable_scripter=true\n"
    path.write_bytes(original)
    change = kritarc.enable(path, PLUGIN)
    assert path.read_bytes() == original.replace(b"=false", b"=true")
    kritarc.revert(change)
    assert path.read_bytes() == original
    assert not kritarc.is_enabled(path, PLUGIN)


def test_missing_file_is_created_and_deleted_again(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    change = kritarc.enable(path, PLUGIN)
    assert path.read_text() == f"[python]\n{KEY_LINE}\n"
    assert kritarc.revert(change)
    assert not path.exists()


def test_a_key_of_the_same_name_in_another_group_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    original = b"[other]\nenable_stylebridge_krita=false\n"
    path.write_bytes(original)
    assert not kritarc.is_enabled(path, PLUGIN)
    assert enable_then_revert(path) == original


line = st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=30)
group = st.tuples(st.sampled_from(["[General]", "[python]", "[MainWindow]", "[x]"]),
                  st.lists(line, max_size=4))  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(
    groups=st.lists(group, max_size=4),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
)
def test_enable_and_revert_restore_any_file_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    groups: list[tuple[str, list[str]]],
    newline: str,
    final_newline: bool,
) -> None:
    lines = [text for header, body in groups for text in (header, *body)]
    if any(text.strip().startswith("enable_stylebridge_krita") for text in lines):
        return  # a pre-existing key is covered by the explicit tests above
    text = newline.join(lines) + (newline if final_newline and lines else "")
    original = text.encode("utf-8", "surrogatepass")
    path = tmp_path_factory.mktemp("rc") / "kritarc"
    path.write_bytes(original)
    assert enable_then_revert(path) == original


def test_revert_after_krita_rewrote_the_file_removes_only_our_key(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    path.write_bytes(b"[General]\nfoo=bar\n")
    change = kritarc.enable(path, PLUGIN)
    # Krita rewrites kritarc on exit: other keys join our group and other groups appear.
    text = path.read_text().replace(KEY_LINE, "enable_scripter=true\n" + KEY_LINE)
    path.write_text(text + "\n[MainWindow]\nState=AA\n")
    kritarc.revert(change)
    assert path.read_text() == (
        "[General]\nfoo=bar\n\n[python]\nenable_scripter=true\n\n[MainWindow]\nState=AA\n"
    )


def test_revert_drops_our_group_when_krita_appended_groups_after_it(tmp_path: Path) -> None:
    path = tmp_path / "kritarc"
    path.write_bytes(b"[General]\nfoo=bar\n")
    change = kritarc.enable(path, PLUGIN)
    path.write_text(path.read_text() + "\n[MainWindow]\nState=AA\n")
    kritarc.revert(change)
    assert path.read_text() == "[General]\nfoo=bar\n\n[MainWindow]\nState=AA\n"
