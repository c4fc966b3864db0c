"""``python -m claimgraph``: the same command as the ``claimgraph`` script, for
environments where the script is not on PATH (a venv not activated, Windows)."""

from claimgraph.cli import run

if __name__ == "__main__":
    run()
