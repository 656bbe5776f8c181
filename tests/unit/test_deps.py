"""Dependency check: a missing module gives one actionable message."""
from eit_plugin.deps import Dependency, missing_dependencies, missing_message


def test_missing_module_is_named_with_install_commands():
    fake = Dependency("surely_not_a_module_xyz", "python3-surely-not", "surely-not")
    missing = missing_dependencies((fake, Dependency("json", "python3", "json")))
    assert missing == [fake]
    message = missing_message(missing)
    assert "surely_not_a_module_xyz" in message
    assert "python -m pip install surely-not" in message
    assert "apt install python3-surely-not" in message


def test_nothing_missing_gives_no_message():
    assert missing_message([]) == ""
