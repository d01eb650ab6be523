from datetime import date

import pytest

from riskkit.errors import RiskkitError
from riskkit.models import Indicator, IndicatorSet
from riskkit.store import DatabaseGone, StaleEdit, Store, StoreError, UnknownAssessment


def new(store, catalogue, title="Kenya workshop"):
    return store.load(store.create(title, catalogue.policies.default, "Kenya", date(2026, 11, 29)))


def test_every_change_is_saved_and_comes_back_on_load(store, catalogue):
    snap = new(store, catalogue)
    a = snap.assessment.rate(catalogue, 1, likelihood="High", impact="High").write_strategy(catalogue, 1, "Screen all")
    a, number = a.add_own_risk(catalogue, "Shelter closes", ("1.7",), ("PA-03",))
    a = (a.rate(catalogue, number, likelihood="Low").write_notes(catalogue, number, "<b>raw</b>")
         .choose_policy(catalogue, "either"))
    a = a.use_indicators(IndicatorSet(title="Ours", indicators=(Indicator(id="O-1", wording="w", kind="output",
                                                                           risks=(1,)),)))
    saved = store.save(snap, a)
    loaded = store.load(snap.summary.id)
    assert loaded.assessment == a == saved.assessment
    assert loaded.versions == saved.versions


def test_many_assessments_live_side_by_side(store, catalogue):
    one, two = new(store, catalogue, "Kenya"), new(store, catalogue, "Nepal")
    store.save(one, one.assessment.rate(catalogue, 2, impact="Low"))
    assert store.load(two.summary.id).assessment.entries == {}
    assert {s.title for s in store.list()} == {"Kenya", "Nepal"}


def test_two_people_rating_different_risks_both_keep_their_rating(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="High"))
    store.save(snap, snap.assessment.rate(catalogue, 2, likelihood="Low"))  # based on the same read
    entries = store.load(snap.summary.id).assessment.entries
    assert entries[1].likelihood == "High" and entries[2].likelihood == "Low"


def test_a_stale_save_of_the_same_risk_is_refused_and_the_first_rating_kept(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.rate(catalogue, 3, likelihood="High"))
    with pytest.raises(StaleEdit, match="Risk 3 was changed by someone else"):
        store.save(snap, snap.assessment.rate(catalogue, 3, likelihood="Low"))
    assert store.load(snap.summary.id).assessment.entry(3).likelihood == "High"


def test_a_refused_save_changes_nothing_at_all(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.rate(catalogue, 3, likelihood="High"))
    both = snap.assessment.rate(catalogue, 4, impact="Low").rate(catalogue, 3, likelihood="Low")
    with pytest.raises(StaleEdit):
        store.save(snap, both)
    assert 4 not in store.load(snap.summary.id).assessment.entries


def test_colleagues_changing_different_fields_of_one_risk_both_keep_their_change(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.write_notes(catalogue, 3, "Their note"))
    mine = snap.assessment.rate(catalogue, 3, likelihood="High").write_strategy(catalogue, 3, "My strategy")
    saved = store.save(snap, mine)
    kept = store.load(snap.summary.id).assessment.entry(3)
    assert (kept.notes, kept.strategy, kept.likelihood) == ("Their note", "My strategy", "High")
    assert saved.assessment.entry(3) == kept  # the page is handed both changes


def test_colleagues_changing_different_fields_of_an_own_risk_both_keep_their_change(store, catalogue):
    snap = new(store, catalogue)
    added, number = snap.assessment.add_own_risk(catalogue, "Shared risk")
    snap = store.save(snap, added)
    store.save(snap, snap.assessment.keep_internal(number, True))
    store.save(snap, snap.assessment.restate_own_risk(number, "Shared risk, reworded"))
    own = store.load(snap.summary.id).assessment.own_risks[0]
    assert (own.statement, own.internal) == ("Shared risk, reworded", True)


def test_colleagues_changing_the_same_field_of_an_own_risk_is_refused(store, catalogue):
    snap = new(store, catalogue)
    added, number = snap.assessment.add_own_risk(catalogue, "Shared risk")
    snap = store.save(snap, added)
    store.save(snap, snap.assessment.restate_own_risk(number, "Theirs"))
    with pytest.raises(StaleEdit):
        store.save(snap, snap.assessment.restate_own_risk(number, "Mine"))
    assert store.load(snap.summary.id).assessment.own_risks[0].statement == "Theirs"


def test_saving_on_from_the_returned_snapshot_never_conflicts_with_yourself(store, catalogue):
    snap = new(store, catalogue)
    for level in ["Low", "Medium", "High", "Low"]:
        snap = store.save(snap, snap.assessment.rate(catalogue, 5, likelihood=level))
    assert store.load(snap.summary.id).assessment.entry(5).likelihood == "Low"


def test_two_people_adding_an_own_risk_at_once_do_not_overwrite_each_other(store, catalogue):
    snap = new(store, catalogue)
    mine, _ = snap.assessment.add_own_risk(catalogue, "Mine")
    theirs, _ = snap.assessment.add_own_risk(catalogue, "Theirs")
    store.save(snap, mine)
    with pytest.raises(StaleEdit, match="added risk 13"):
        store.save(snap, theirs)
    assert [r.statement for r in store.load(snap.summary.id).assessment.own_risks] == ["Mine"]


def test_deleting_an_own_risk_deletes_its_rating(store, catalogue):
    snap = new(store, catalogue)
    a, number = snap.assessment.add_own_risk(catalogue, "Temporary")
    snap = store.save(snap, a.rate(catalogue, number, impact="High"))
    snap = store.save(snap, snap.assessment.remove_own_risk(number))
    loaded = store.load(snap.summary.id).assessment
    assert loaded.own_risks == () and number not in loaded.entries


def test_rename_duplicate_delete_and_undo(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="Medium"))
    store.rename(snap.summary.id, "Kenya, day 1", context="Nairobi")
    copy = store.duplicate(snap.summary.id, "Kenya, day 1 (before changes)")
    assert store.load(copy).assessment.entry(1).likelihood == "Medium"
    store.save(store.load(copy), store.load(copy).assessment.rate(catalogue, 1, likelihood="Low"))
    assert store.load(snap.summary.id).assessment.entry(1).likelihood == "Medium"  # the snapshot is separate

    store.delete(snap.summary.id)
    assert snap.summary.id not in {s.id for s in store.list()}
    assert [s.title for s in store.list(deleted=True)] == ["Kenya, day 1"]
    with pytest.raises(UnknownAssessment):
        store.load(snap.summary.id)
    store.restore(snap.summary.id)
    assert store.load(snap.summary.id).summary.context == "Nairobi"


def test_an_organisation_is_kept_through_create_rename_duplicate_and_list(store, catalogue):
    made = store.create("Kenya workshop", catalogue.policies.default, "Kenya", organisation="  IOM Kenya ")
    assert store.load(made).summary.organisation == "IOM Kenya"
    assert store.rename(made, "Kenya, day 1").organisation == "IOM Kenya"  # not given: left as it is
    renamed = store.rename(made, "Kenya, day 1", organisation="UNODC Nairobi", seen=store.load(made).summary)
    assert (renamed.title, renamed.context, renamed.organisation) == ("Kenya, day 1", "Kenya", "UNODC Nairobi")
    copy = store.duplicate(made, "Kenya, day 1 (before changes)")
    assert store.load(copy).summary.organisation == "UNODC Nairobi"
    assert {s.id: s.organisation for s in store.list()} == {made: "UNODC Nairobi", copy: "UNODC Nairobi"}
    assert store.rename(made, "Kenya, day 1", organisation="").organisation == ""
    assert store.load(copy).summary.organisation == "UNODC Nairobi"
    assert new(store, catalogue, "Without").summary.organisation == ""


@pytest.mark.parametrize(("organisation", "words"), [("x" * 201, "Organisation: 201 characters"),
                                                     ("line\nbreak", "Organisation: contains a line break")])
def test_an_organisation_over_the_limits_is_refused_and_nothing_is_saved(store, catalogue, organisation, words):
    made = store.create("Kept", catalogue.policies.default, organisation="IOM")
    before = store.count()
    with pytest.raises(RiskkitError, match=words):
        store.create("New", catalogue.policies.default, organisation=organisation)
    with pytest.raises(RiskkitError, match=words):
        store.rename(made, "Kept", organisation=organisation)
    assert store.count() == before and store.load(made).summary.organisation == "IOM"


def test_saving_into_an_assessment_deleted_meanwhile_is_refused(store, catalogue):
    snap = new(store, catalogue)
    store.delete(snap.summary.id)
    with pytest.raises(UnknownAssessment, match="deleted"):
        store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="Low"))


def test_an_unknown_id_gets_a_clear_message(store):
    with pytest.raises(UnknownAssessment, match="nope"):
        store.load("nope")


def test_an_assessment_needs_a_title(store, catalogue):
    with pytest.raises(RiskkitError, match="title"):
        store.create("  ", catalogue.policies.default)


def test_the_most_recently_changed_assessment_comes_first(store, catalogue):
    older, _newer = new(store, catalogue, "Older"), new(store, catalogue, "Newer")
    store.save(older, older.assessment.rate(catalogue, 1, likelihood="Low"))
    assert store.most_recent() == older.summary.id


def test_the_revision_changes_with_every_save_and_only_then(store, catalogue):
    snap = new(store, catalogue)
    first = store.revision(snap.summary.id)
    assert first == snap.summary.revision
    assert store.revision(snap.summary.id) == first
    saved = store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="Low"))
    assert store.revision(snap.summary.id) == saved.summary.revision == first + 1


def test_a_save_hands_back_what_colleagues_saved_meanwhile(store, catalogue):
    mine = new(store, catalogue)
    theirs = store.load(mine.summary.id)
    store.save(theirs, theirs.assessment.rate(catalogue, 1, likelihood="High"))
    after = store.save(mine, mine.assessment.rate(catalogue, 2, likelihood="Low"))
    assert after.assessment.entry(1).likelihood == "High" and after.assessment.entry(2).likelihood == "Low"
    assert after.summary.revision == store.revision(mine.summary.id)
    again = store.save(after, after.assessment.rate(catalogue, 1, impact="Low"))  # no false conflict
    assert again.assessment.entry(1).likelihood == "High"


def test_a_rename_over_a_colleagues_rename_is_refused_and_theirs_kept(store, catalogue):
    snap = new(store, catalogue)
    seen = snap.summary
    store.rename(seen.id, "Their title", seen=seen)
    with pytest.raises(StaleEdit, match="Their title"):
        store.rename(seen.id, "My title", seen=seen)
    assert store.load(seen.id).summary.title == "Their title"
    renamed = store.rename(seen.id, "My title", seen=store.load(seen.id).summary)
    assert renamed.title == "My title"


@pytest.mark.parametrize(("title", "words"), [("x" * 201, "200 allowed"), ("bad\x00title", "control character"),
                                              ("right\u202eto left", "control character"), ("  ", "needs a title")])
def test_a_title_over_the_limits_is_refused_with_words_and_nothing_is_saved(store, catalogue, title, words):
    before = store.count()
    with pytest.raises(RiskkitError, match=words):
        store.create(title, catalogue.policies.default)
    assert store.count() == before


def test_a_sqlite_file_deleted_while_running_is_said_not_silently_recreated(tmp_path, catalogue):
    path = tmp_path / "gone.sqlite3"
    store = Store(f"sqlite:///{path}")
    snap = store.load(store.create("Kept", catalogue.policies.default))
    for leftover in tmp_path.glob("gone.sqlite3*"):
        leftover.unlink()
    with pytest.raises(DatabaseGone, match="deleted or replaced"):
        store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="High"))
    assert not path.exists()
    store.engine.dispose()


def test_a_read_only_database_says_so_in_words(tmp_path, catalogue):
    path = tmp_path / "ro.sqlite3"
    Store(f"sqlite:///{path}").engine.dispose()
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError, match="read-only"):
        read_only.create("Anything", catalogue.policies.default)
    read_only.engine.dispose()


def test_two_people_clearing_the_same_risk_leave_no_empty_row(store, catalogue):
    snap = store.save(new(store, catalogue), new(store, catalogue).assessment)  # a fresh assessment
    snap = store.save(snap, snap.assessment.write_notes(catalogue, 2, "to clear"))
    store.save(snap, snap.assessment.write_notes(catalogue, 2, ""))
    store.save(snap, snap.assessment.write_notes(catalogue, 2, ""))  # based on the same read
    assert 2 not in store.load(snap.summary.id).assessment.entries
