"""`kurukan backup` / `kurukan restore` end to end on the suite's engine, in separate processes and data
directories, the way an administrator runs a restore drill (docs/backups.md)."""

from __future__ import annotations

import pytest
from backup_helpers import EVIDENCE_PHRASE, ON_POSTGRES, PASSPHRASE, fingerprint, new_install

from kurukan.backups import archive

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    base = tmp_path_factory.mktemp("backup")
    install = new_install(base, "source")
    try:
        for command in (("keys", "init"), ("migrate",)):
            done = install.kurukan(*command)
            assert done.returncode == 0, done.stderr[-2000:]
        install.python(
            "import datetime as dt, io\n"
            "from kurukan.accounts.models import Organisation, Role, User\n"
            "from kurukan.incidents.models import Incident\n"
            "from kurukan.people.models import Person\n"
            "from kurukan.evidence import actions, storage\n"
            "org = Organisation.objects.create(code='cndh', name='CNDH')\n"
            "user = User.objects.create_user('monitor', password='x' * 12, role=Role.MONITOR, organisation=org)\n"
            "names = [('Amadou', 'Maïga'), ('Fatoumata', 'Guindo'), ('Hamadoun', 'Dicko')]\n"
            "for number, (given, family) in enumerate(names):\n"
            "    incident = Incident.objects.create(title=f'Incident {number}', narrative='Récit protégé',\n"
            "        start_date=dt.date(2022, 3, 14 + number), organisation=org, created_by=user)\n"
            "    Person.objects.create(given_name=given, family_name=family, organisation=org, created_by=user)\n"
            f"content = ({EVIDENCE_PHRASE!r} + ' ') * 5000\n"
            "item, _ = actions.receive_evidence(Incident.objects.order_by('pk').first(), user,\n"
            "    storage.spool_from(io.BytesIO(content.encode())), original_name='corps.jpg', media_type='image/jpeg')\n"
            "result = item.pk"
        )
        passphrase_file = base / "passphrase"
        passphrase_file.write_text(PASSPHRASE + "\n")
        archive_path = base / "kurukan.krkbak"
        done = install.kurukan(
            "backup", "--output", str(archive_path), "--passphrase-file", str(passphrase_file)
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "not in the archive" in done.stdout
    except BaseException:
        install.drop()  # a scratch PostgreSQL database must not outlive a failed set-up
        raise
    yield {
        "install": install,
        "archive": archive_path,
        "passphrase": passphrase_file,
        "base": base,
        "before": fingerprint(install),
    }
    install.drop()


def _target(source, label: str):
    """A fresh installation that holds only a copy of the data key file, kept apart from the backup."""
    target = new_install(source["base"], label)
    target.key_file.parent.mkdir(parents=True)
    target.key_file.write_bytes(source["install"].key_file.read_bytes())
    return target


def _restore(target, source, *args: str):
    return target.kurukan(
        "restore", str(source["archive"]), "--passphrase-file", str(source["passphrase"]), *args
    )


def _mark(target) -> None:
    target.python(
        "from kurukan.accounts.models import Organisation\n"
        "result = Organisation.objects.create(code='marker', name='Marker').pk"
    )


def test_a_restore_brings_back_records_names_and_evidence_and_refuses_a_database_in_use(source):
    target = _target(source, "restored")
    try:
        done = _restore(target, source)
        assert done.returncode == 0, done.stderr[-2000:]
        after = fingerprint(target)
        assert after == source["before"]
        assert after["evidence"][0][2].startswith(EVIDENCE_PHRASE)
        verify = target.kurukan("evidence", "verify")
        assert verify.returncode == 0, verify.stderr
        assert target.kurukan("audit", "verify").returncode == 0

        _mark(target)
        refused = _restore(target, source)
        assert refused.returncode != 0
        assert "not empty" in refused.stderr and "--force" in refused.stderr
        assert "marker" in fingerprint(target)["organisations"]

        forced = _restore(target, source, "--force")
        assert forced.returncode == 0, forced.stderr[-2000:]
        assert fingerprint(target) == source["before"]
    finally:
        target.drop()


def test_a_wrong_passphrase_or_an_altered_archive_changes_nothing(source):
    target = _target(source, "guarded")
    try:
        assert _restore(target, source).returncode == 0
        _mark(target)
        before = fingerprint(target)

        wrong = source["base"] / "wrong-passphrase"
        wrong.write_text("pas la bonne phrase secrète")
        done = target.kurukan("restore", str(source["archive"]), "--passphrase-file", str(wrong), "--force")
        assert done.returncode != 0
        assert "Wrong backup passphrase" in done.stderr and "Traceback" not in done.stderr
        assert fingerprint(target) == before

        data = bytearray(source["archive"].read_bytes())
        data[len(data) // 2] ^= 0x01
        altered = source["base"] / "altered.krkbak"
        altered.write_bytes(bytes(data))
        done = target.kurukan(
            "restore", str(altered), "--passphrase-file", str(source["passphrase"]), "--force"
        )
        assert done.returncode != 0
        assert "damaged or was altered" in done.stderr and "Traceback" not in done.stderr
        assert fingerprint(target) == before
    finally:
        target.drop()


def test_a_refused_restore_onto_a_fresh_install_leaves_it_as_it_was(source):
    """On SQLite: no empty database file left behind; on PostgreSQL: the empty database stays empty."""
    target = _target(source, "fresh")
    try:
        wrong = source["base"] / "wrong-passphrase-fresh"
        wrong.write_text("pas la bonne phrase secrète")
        database_file = target.data_dir / "kurukan.sqlite3"
        for archive_path, passphrase in (
            (source["archive"], wrong),
            (source["base"] / "missing.krkbak", source["passphrase"]),
        ):
            done = target.kurukan("restore", str(archive_path), "--passphrase-file", str(passphrase))
            assert done.returncode != 0 and "Traceback" not in done.stderr
            if ON_POSTGRES:
                tables = "from django.db import connection\nresult = connection.introspection.table_names()"
                assert target.python(tables) == []
            else:
                assert not database_file.exists(), done.stderr
        done = _restore(target, source)  # and the right passphrase still restores, with no --force
        assert done.returncode == 0, done.stderr[-2000:]
        assert fingerprint(target) == source["before"]
    finally:
        target.drop()


def test_the_archive_holds_no_name_in_clear_and_not_the_data_keys(source):
    raw = source["archive"].read_bytes()
    names = source["before"]["names"]
    assert names
    for name in names:
        for word in name.split():
            assert word.encode("utf-8") not in raw
    assert EVIDENCE_PHRASE.encode() not in raw
    assert b"corps.jpg" not in raw

    # Opened with the passphrase: only the database, the (encrypted) evidence files and the manifest.
    import tarfile

    with source["archive"].open("rb") as handle:
        reader = archive.open_reader(handle, archive.BackupSecret.passphrase(PASSPHRASE))
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            members = [m.name for m in tar]
    assert members[0].startswith("database/") and members[-1] == "manifest.json"
    assert all(m.startswith(("database/", "files/evidence/")) for m in members[:-1])
    key_material = source["install"].key_file.read_text()
    assert "kurukan-keys" not in " ".join(members)
    assert key_material.encode() not in raw
