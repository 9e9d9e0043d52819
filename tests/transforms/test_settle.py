"""Planning and settling a run: every file ends in exactly one status with a reason."""

from __future__ import annotations

from pathlib import Path

from transforms.discover import FileEntry, discover, plan
from transforms.settle import settle
from transforms.stage import FileOutcome


def entry(path, sha="a" * 64):
    return FileEntry(path, 10, sha)


def parsed(path, key, batch=0, sha="a" * 64):
    return FileOutcome(path, sha, 10, "parsed", key, batch=batch)


def test_plan_buckets_unchanged_duplicates_and_refused():
    files = [entry("/a", "1" * 64), entry("/b", "1" * 64), entry("/c", "2" * 64), FileEntry("/d", problem="unreadable: permission denied")]
    previous = {"/c": {"sha256": "2" * 64, "status": "loaded", "project_key": "k-c"}, "/gone": {"sha256": "9", "status": "loaded", "project_key": "k-g"}}
    result = plan(files, previous, full_refresh=False)
    assert [e.path for e in result.to_parse] == ["/a"]
    assert [(e.path, original) for e, original in result.duplicates] == [("/b", "/a")]
    assert [e.path for e in result.unchanged] == ["/c"]
    assert [e.path for e in result.refused] == ["/d"]
    assert result.removed == ["/gone"]
    assert [e.path for e in plan(files, previous, full_refresh=True).to_parse] == ["/a", "/c"]


def test_later_path_claiming_the_same_sheet_is_quarantined_naming_the_other():
    files = [entry("/x1", "1" * 64), entry("/x2", "2" * 64)]
    outcomes = [parsed("/x1", "k", batch=0, sha="1" * 64), parsed("/x2", "k", batch=1, sha="2" * 64)]
    result = settle(plan(files, {}, False), outcomes, {}, {}, "run")
    status = {f["path"]: (f["status"], f["message"]) for f in result.source_files}
    assert status["/x1"] == ("loaded", None)
    assert status["/x2"][0] == "quarantined" and "/x1" in status["/x2"][1]
    assert result.lost_claims == {1: {"k"}}


def test_validation_errors_quarantine_and_drop_the_sheet():
    files = [entry("/ok", "1" * 64), entry("/bad", "2" * 64)]
    outcomes = [parsed("/ok", "k1", sha="1" * 64), parsed("/bad", "k2", sha="2" * 64)]
    result = settle(plan(files, {}, False), outcomes, {}, {"k2": "project_name is empty"}, "run")
    assert result.drop_keys == {"k2"}
    assert result.count("loaded") == 1 and result.count("quarantined") == 1
    assert [i["source_path"] for i in result.file_issues] == ["/bad"]


def test_unchanged_file_keeps_its_sheet_and_last_change_run(tmp_path):
    files = [entry("/u", "1" * 64)]
    previous = {"/u": {"sha256": "1" * 64, "status": "loaded", "project_key": "k", "run_id": "old-run"}}
    result = settle(plan(files, previous, False), [], previous, {}, "new-run")
    assert result.keep_keys == {"k"}
    assert result.source_files[0]["status"] == "unchanged" and result.source_files[0]["run_id"] == "old-run"


QUARANTINED = {
    "/u": {"sha256": "1" * 64, "status": "loaded", "project_key": "k", "run_id": "r1"},
    "/u2": {"sha256": "2" * 64, "status": "quarantined", "project_key": "k", "run_id": "r1",
            "message": "claims the same project and review year as /u", "encoding": "utf-8"},
    "/junk": {"sha256": "3" * 64, "status": "quarantined", "project_key": None, "run_id": "r1",
              "message": "not a review sheet: no 事業名"},
}


def test_quarantined_files_are_not_parsed_again_when_nothing_else_changed():
    files = [entry("/junk", "3" * 64), entry("/u", "1" * 64), entry("/u2", "2" * 64)]
    result = plan(files, QUARANTINED, full_refresh=False)
    assert result.to_parse == [] and [e.path for e in result.still_quarantined] == ["/junk", "/u2"]

    settled = settle(result, [], QUARANTINED, {}, "r2")
    rows = {f["path"]: f for f in settled.source_files}
    assert [(rows[p]["status"], rows[p]["run_id"], rows[p]["message"]) for p in ("/junk", "/u2")] == [
        ("quarantined", "r1", "not a review sheet: no 事業名"),
        ("quarantined", "r1", "claims the same project and review year as /u")]
    assert rows["/u2"]["project_key"] == "k" and settled.keep_keys == {"k"}
    assert settled.file_issues == []  # the findings of r1 are carried by the load, not reported anew


def test_quarantined_files_are_parsed_again_when_another_file_changes_or_leaves():
    files = [entry("/junk", "3" * 64), entry("/u", "1" * 64), entry("/u2", "2" * 64)]
    changed = [entry("/junk", "3" * 64), entry("/u", "9" * 64), entry("/u2", "2" * 64)]  # the claim's winner changed
    assert [e.path for e in plan(changed, QUARANTINED, False).to_parse] == ["/junk", "/u", "/u2"]
    gone = [entry("/junk", "3" * 64), entry("/u2", "2" * 64)]  # the winner left: /u2 may load now
    result = plan(gone, QUARANTINED, False)
    assert [e.path for e in result.to_parse] == ["/junk", "/u2"] and result.removed == ["/u"]
    new = files + [entry("/v", "4" * 64)]
    assert [e.path for e in plan(new, QUARANTINED, False).to_parse] == ["/junk", "/u2", "/v"]
    fixed = [entry("/junk", "5" * 64), entry("/u", "1" * 64), entry("/u2", "2" * 64)]  # new bytes: parsed, /u2 too
    assert [e.path for e in plan(fixed, QUARANTINED, False).to_parse] == ["/junk", "/u2"]
    refresh = plan(files, QUARANTINED, full_refresh=True)
    assert [e.path for e in refresh.to_parse] == ["/junk", "/u", "/u2"] and refresh.still_quarantined == []


def test_discover_reports_directories_named_like_files_and_link_loops(tmp_path: Path):
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "sheet.txt").write_text("x")
    (tmp_path / "loop_a").symlink_to(tmp_path / "loop_b")
    (tmp_path / "loop_b").symlink_to(tmp_path / "loop_a")
    found = {Path(e.path).name: e.problem for e in discover([tmp_path], max_bytes=100)}
    assert found["folder.txt"] == "a directory, not a file"
    assert found["sheet.txt"] is None
    assert "symbolic link" in found["loop_a"] and "symbolic link" in found["loop_b"]
    big = discover([tmp_path / "sheet.txt"], max_bytes=0)[0]
    assert "size limit" in big.problem


def test_a_file_read_by_other_code_is_parsed_again_and_keeps_its_version_otherwise():
    """Same bytes but another `parser_version` (an upgraded parser or checks): parsed
    again and listed in `reparsed`; a quarantined file too.  Without a version given,
    the bytes alone decide (callers that do not track code)."""
    files = [entry("/a", "1" * 64), entry("/b", "2" * 64), entry("/q", "3" * 64)]
    previous = {"/a": {"sha256": "1" * 64, "status": "loaded", "project_key": "k-a", "parser_version": "v1"},
                "/b": {"sha256": "2" * 64, "status": "unchanged", "project_key": "k-b", "parser_version": "v2"},
                "/q": {"sha256": "3" * 64, "status": "quarantined", "project_key": None, "parser_version": "v1",
                       "message": "no budget table"}}
    result = plan(files, previous, False, parser_version="v2")
    assert [e.path for e in result.unchanged] == ["/b"]
    assert [e.path for e in result.to_parse] == ["/a", "/q"] and result.reparsed == ["/a"]
    assert not result.still_quarantined
    same = plan(files, previous, False, parser_version="v1")
    assert [e.path for e in same.unchanged] == ["/a"] and same.reparsed == ["/b"]
    assert [e.path for e in same.still_quarantined] == [] and [e.path for e in same.to_parse] == ["/b", "/q"]
    assert [e.path for e in plan(files, previous, False).unchanged] == ["/a", "/b"]

    settled = settle(result, [parsed("/a", "k-a", sha="1" * 64), FileOutcome("/q", "3" * 64, 10, "quarantined",
                                                                               message="no budget table")],
                     previous, {}, "run", "v2")
    versions = {f["path"]: (f["status"], f["parser_version"]) for f in settled.source_files}
    assert versions == {"/a": ("loaded", "v2"), "/b": ("unchanged", "v2"), "/q": ("quarantined", "v2")}


def test_still_quarantined_and_carried_files_keep_the_version_that_read_them():
    files = [entry("/q", "3" * 64)]
    previous = {"/q": {"sha256": "3" * 64, "status": "quarantined", "project_key": None, "parser_version": "v1",
                       "message": "no budget table", "run_id": "r0"}}
    result = plan(files, previous, False, parser_version="v1")
    assert [e.path for e in result.still_quarantined] == ["/q"]
    settled = settle(result, [], previous, {}, "run", "v1")
    assert [(f["status"], f["parser_version"], f["run_id"]) for f in settled.source_files] == [("quarantined", "v1", "r0")]
