"""The GUI start skips the full parser; it must read its options exactly as the parser does."""

import pytest

from commissie_app import cli


@pytest.mark.parametrize("argv", [
    [],
    ["--db", "sqlite:///x.sqlite"],
    ["--db=sqlite:///x.sqlite"],
    ["--screenshot", "shot.png"],
    ["--db", "a", "--screenshot=b.png", "--db", "c"],
    ["--db="],
])
def test_gui_start_reads_options_like_the_parser(argv):
    fast = cli._gui_args(argv)
    assert fast is not None
    assert vars(fast) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["--db"], ["--db", "-x"], ["--d", "x"],
                                  ["demo-data"], ["--db", "u", "backup", "f.sqlite"], ["--onbekend"]])
def test_anything_else_goes_through_the_parser(argv):
    assert cli._gui_args(argv) is None


def test_main_without_command_starts_the_gui_without_building_the_parser(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("parser built for a GUI start"))
    monkeypatch.setattr(cli, "cmd_gui", lambda args: seen.update(db=args.db) or 0)
    assert cli.main(["--db", "sqlite:///x.sqlite"]) == 0
    assert seen["db"] == "sqlite:///x.sqlite"


def test_help_still_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("db", "demo-data", "backup", "import-applications", "export-applications"):
        assert command in out
